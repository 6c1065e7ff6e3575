import FieldbookModel
import FieldbookStore
@testable import FieldbookWorkbench
import Foundation
import Hummingbird
import HummingbirdTesting

/// The workbench's pages and forms over a fresh workspace, driven through its router without a
/// socket: a session is given to every request, as the gate gives it to one that opened the
/// start URL (the gate itself is tested apart, and by the browser stage).
struct WorkbenchHarness {
    let folder: URL
    let workspace: Workspace
    let workbench: Workbench
    let session: SessionGate.Session

    init(_ name: String = "fb-wb") throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        workspace = try Workspace.create(at: WorkspaceLocation(root: folder), engagement: EntityID("harness")!, assessor: "Ana",
                                         engagementName: "Harness", scope: nil)
        workbench = Workbench(location: workspace.location, port: 0)
        session = workbench.gate.startSession()
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// What a page answered: its status, the address it sent the browser to, and its text.
    struct Answer {
        let status: HTTPResponse.Status
        let location: String?
        let body: String
    }

    /// The outcome a write left for the next page, as its notice shows it.
    struct Outcome {
        let answer: Answer
        let notice: SessionGate.Notice?
        var refused: Bool { notice?.refused ?? true }
        var text: String { notice?.text ?? "" }
    }

    func get(_ path: String) async throws -> Answer {
        try await send(path, method: .get, headers: [:], body: nil)
    }

    /// Posts a form with the session's token, as the pages' forms do.
    func post(_ path: String, _ fields: [(String, String)], token: Bool = true, back: String = "/") async throws -> Outcome {
        let all = fields + [("back", back)] + (token ? [(FormInput.tokenField, session.formToken)] : [])
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        let answer = try await send(path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
        return Outcome(answer: answer, notice: workbench.gate.takeNotice(for: session))
    }

    /// Posts files (`file` parts, or `field`'s) and fields as a multipart form, as the upload form does.
    func upload(_ path: String, files: [(name: String, bytes: Data)], field: String = "file", _ fields: [(String, String)] = [],
                back: String = "/") async throws -> Outcome {
        let boundary = "----fieldbook-test-\(UUID().uuidString)"
        var body = Data()
        for (name, value) in fields + [("back", back), (FormInput.tokenField, session.formToken)] {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        for file in files {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8))
            body.append(file.bytes)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        let answer = try await send(path, method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"],
                                    body: ByteBuffer(bytes: body))
        return Outcome(answer: answer, notice: workbench.gate.takeNotice(for: session))
    }

    /// How many changes the workspace holds: a refused write adds none.
    func changes() throws -> Int { try workspace.summary().changes }

    private func send(_ path: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> Answer {
        let router = Router(context: WorkbenchContext.self)
        router.add(middleware: GivenSession(session: session))
        for pages in Workbench.pages { pages.add(to: router, workbench: workbench) }
        let app = Application(router: router)
        return try await app.test(.router) { client in
            try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
                Answer(status: response.status, location: response.headers[.location], body: String(buffer: response.body))
            }
        }
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// Gives every request the harness's session, where the gate would give the session its cookie names.
struct GivenSession: RouterMiddleware {
    typealias Context = WorkbenchContext
    let session: SessionGate.Session

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.session = session
        return try await next(request, context)
    }
}

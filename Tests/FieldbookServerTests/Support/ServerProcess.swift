import FieldbookReplica
import Foundation
import Testing

/// A real `fieldbook-server serve` on a free loopback port over a `ServerDatabase`, stopped
/// (SIGTERM) when the value goes away. Tests pin its lifetime with
/// `defer { withExtendedLifetime(server) {} }`: Swift may otherwise end it after its last use.
final class ServerProcess: @unchecked Sendable {
    let store: ServerDatabase
    let process = Process()
    private(set) var port = 0
    /// The metrics listener's port, when started with `--metrics-port`.
    private(set) var metricsPort: Int?
    /// Where the process's standard error (its log) and standard output go.
    let logFile: URL
    let outputFile: URL
    var url: String { "http://127.0.0.1:\(port)" }
    var database: String { store.location }
    var folder: URL { store.folder }

    static func binary(_ name: String) -> URL {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/\(name)")
    }

    /// A server on a store of its own.
    convenience init(_ backend: ServerBackend = .sqlite, arguments: [String] = []) throws {
        try self.init(sharing: ServerDatabase(backend), arguments: arguments)
    }

    /// Another server process on `store`: with PostgreSQL, one of several behind a load balancer.
    /// `objects`: where it keeps evidence (default: the folder every process on `store` shares;
    /// a folder of its own, or `database`).
    init(sharing store: ServerDatabase, objects: String? = nil, arguments: [String] = []) throws {
        self.store = store
        let name = UUID().uuidString.prefix(8)
        process.executableURL = Self.binary("fieldbook-server")
        process.arguments = ["serve", "--port", "0", "--database", store.location, "--objects", objects ?? store.objects] + arguments
        let output = store.folder.appendingPathComponent("stdout-\(name).log")
        let errors = store.folder.appendingPathComponent("stderr-\(name).log")
        logFile = errors
        outputFile = output
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        // The server prints its address once it listens, and its metrics listener's if asked for.
        let wantsMetrics = arguments.contains("--metrics-port")
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && process.isRunning {
            let lines = ((try? String(contentsOf: output, encoding: .utf8)) ?? "").split(separator: "\n")
            func announced(_ marker: String) -> Int? {
                lines.first(where: { $0.contains(marker) }).flatMap { Int($0.split(separator: ":").last?.split(separator: "/").first ?? "") }
            }
            if let port = announced("listening on") {
                self.port = port
                metricsPort = announced("metrics on")
                if !wantsMetrics || metricsPort != nil { return }
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        if process.isRunning { process.terminate() }
        let log = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "fieldbook-server did not start: \(log)"])
    }

    /// Ends the process at once, as a crash or `kill -9` would.
    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    /// Runs an admin command on this server's database.
    @discardableResult
    func admin(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try ChildProcess.run(Self.binary("fieldbook-server"), arguments + ["--database", database])
    }

    func createEngagement(_ name: String, id: String? = nil) throws -> String {
        let result = try admin(["engagement", "create", name] + (id.map { ["--id", $0] } ?? []))
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Issues a token (an assessor's unless `role` says otherwise, expiring at `expires`); returns (id, secret).
    func token(for assessor: String, engagement: String, role: String = "assessor", expires: String? = nil) throws -> (id: String, secret: String) {
        let result = try admin(["token", "create", "--assessor", assessor, "--engagement", engagement, "--role", role, "--json"]
            + (expires.map { ["--expires", $0] } ?? []))
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["role"] as? String == role)
        return (object?["id"] as? String ?? "", object?["token"] as? String ?? "")
    }

    /// What the server holds of `engagement` (its version vector), asked with `token`.
    func vector(_ engagement: String, token: String) async throws -> VersionVector {
        let (status, data) = try await request("GET", "/v1/engagements/\(engagement)/vector", token: token)
        try #require(status == 200, "\(String(decoding: data, as: UTF8.self))")
        return try JSONDecoder().decode(VersionVector.self, from: data)
    }

    /// A raw request, for the server's own checks.
    func request(_ method: String, _ path: String, token: String?, body: Data? = nil,
                 contentType: String? = nil) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: URL(string: url + path)!)
        request.httpMethod = method
        request.httpBody = body
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        return try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.dataTask(with: request) { data, response, error in
                if let error { continuation.resume(throwing: error); return }
                continuation.resume(returning: ((response as? HTTPURLResponse)?.statusCode ?? 0, data ?? Data()))
            }.resume()
        }
    }
}

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

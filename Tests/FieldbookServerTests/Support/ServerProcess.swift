import Foundation
import Testing

/// A real `fieldbook-server serve` on a free loopback port with a temporary database,
/// stopped (SIGTERM) when the value goes away. Tests pin its lifetime with
/// `defer { withExtendedLifetime(server) {} }`: Swift may otherwise end it after its last use.
final class ServerProcess {
    let folder: URL
    let process = Process()
    private(set) var port = 0
    var url: String { "http://127.0.0.1:\(port)" }
    var database: String { folder.appendingPathComponent("server.sqlite").path }

    static func binary(_ name: String) -> URL {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/\(name)")
    }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("fb-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        process.executableURL = Self.binary("fieldbook-server")
        process.arguments = ["serve", "--port", "0", "--database", database]
        let output = folder.appendingPathComponent("stdout.log")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: { () -> URL in
            let log = folder.appendingPathComponent("stderr.log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            return log
        }())
        try process.run()
        // The server prints its address once it listens.
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.contains("listening on") }),
               let port = Int(line.split(separator: ":").last ?? "") {
                self.port = port
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "fieldbook-server did not start"])
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs an admin command on this server's database.
    @discardableResult
    func admin(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let admin = Process()
        admin.executableURL = Self.binary("fieldbook-server")
        admin.arguments = arguments + ["--database", database]
        let out = Pipe(), err = Pipe()
        admin.standardOutput = out
        admin.standardError = err
        try admin.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        admin.waitUntilExit()
        return (admin.terminationStatus, stdout, stderr)
    }

    func createEngagement(_ name: String, id: String? = nil) throws -> String {
        let result = try admin(["engagement", "create", name] + (id.map { ["--id", $0] } ?? []))
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Issues a token; returns (id, secret).
    func token(for assessor: String, engagement: String) throws -> (id: String, secret: String) {
        let result = try admin(["token", "create", "--assessor", assessor, "--engagement", engagement, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return (object?["id"] as? String ?? "", object?["token"] as? String ?? "")
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

import Foundation
import Testing

/// The real `fieldbook` binary in a folder of its own. Each run is its own process, so
/// several laptops may run at once.
final class Laptop: @unchecked Sendable {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("fb-laptop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    @discardableResult
    func run(_ arguments: String...) throws -> (status: Int32, stdout: String, stderr: String) { try run(arguments) }

    @discardableResult
    func run(_ arguments: [String], environment extra: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = ServerProcess.binary("fieldbook")
        process.arguments = ["--workspace", folder.path] + arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["FIELDBOOK_WORKSPACE"] = nil
        process.environment = environment.merging(extra) { $1 }
        let outURL = folder.appendingPathComponent(".out-\(UUID().uuidString)"), errURL = folder.appendingPathComponent(".err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outURL); try? FileManager.default.removeItem(at: errURL) }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, try String(contentsOf: outURL, encoding: .utf8), try String(contentsOf: errURL, encoding: .utf8))
    }

    func json(_ arguments: String...) throws -> [String: Any] {
        let result = try run(arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    func export() throws -> String { try run("export", "--json").stdout }
}

import Foundation
import Testing

/// Runs the built `fieldbook` binary as a user would, capturing its output and exit status.
struct FieldbookProcess {
    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String

        var json: [String: Any] {
            get throws {
                let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
                return try #require(object as? [String: Any], "stdout is not a JSON object: \(stdout.prefix(200))")
            }
        }
    }

    /// The binary next to the test bundle (`swift test` builds it), or `FIELDBOOK_BIN`.
    static let binary: URL = {
        if let path = ProcessInfo.processInfo.environment["FIELDBOOK_BIN"] { return URL(fileURLWithPath: path) }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !folder.path.isEmpty && folder.path != "/" {
            let candidate = folder.appendingPathComponent("fieldbook")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/fieldbook")
    }()

    var workingDirectory: URL?
    var environment: [String: String] = [:]

    init(workingDirectory: URL? = nil, environment: [String: String] = [:]) {
        self.workingDirectory = workingDirectory
        self.environment = environment
    }

    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        if let workingDirectory { process.currentDirectoryURL = workingDirectory }
        var env = ProcessInfo.processInfo.environment
        env["FIELDBOOK_WORKSPACE"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        // Files rather than pipes: a large output can never block the child.
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fb-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out"), errURL = scratch.appendingPathComponent("err")
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        if let stdin {
            let inURL = scratch.appendingPathComponent("in")
            try Data(stdin.utf8).write(to: inURL)
            process.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Outcome(status: process.terminationStatus,
                       stdout: try String(contentsOf: outURL, encoding: .utf8),
                       stderr: try String(contentsOf: errURL, encoding: .utf8))
    }
}

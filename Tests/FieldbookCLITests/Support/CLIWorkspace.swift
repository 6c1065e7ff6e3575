import Foundation
import Testing

/// A temporary folder with a workspace made by the real binary, driven through it.
final class CLIWorkspace {
    let folder: URL
    let fieldbook: FieldbookProcess

    init(assessor: String = "Ana", engagement: String = "Acme AI audit", initialize: Bool = true) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("fb-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        fieldbook = FieldbookProcess(workingDirectory: folder)
        if initialize {
            let outcome = try fieldbook.run(["init", "--engagement", engagement, "--assessor", assessor])
            #expect(outcome.status == 0, "init failed: \(outcome.stderr)")
        }
    }

    deinit {
        // Read-only tests may have taken write permission away.
        _ = try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.appendingPathComponent(".fieldbook").path)
        try? FileManager.default.removeItem(at: folder)
    }

    @discardableResult
    func run(_ arguments: String...) throws -> FieldbookProcess.Outcome { try fieldbook.run(arguments) }

    @discardableResult
    func run(_ arguments: [String]) throws -> FieldbookProcess.Outcome { try fieldbook.run(arguments) }

    /// The canonical export, to check that a refused command changed nothing.
    func export() throws -> String {
        let outcome = try fieldbook.run(["export", "--json"])
        #expect(outcome.status == 0, "export failed: \(outcome.stderr)")
        return outcome.stdout
    }

    /// Runs a command that must fail with `status`, one clear line on stderr, and no change.
    func expectRefusal(_ arguments: [String], status: Int32, mentioning text: String? = nil,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try export()
        let outcome = try fieldbook.run(arguments)
        #expect(outcome.status == status, "\(arguments): exit \(outcome.status), stderr: \(outcome.stderr)", sourceLocation: sourceLocation)
        #expect(!outcome.stderr.isEmpty, "\(arguments) printed no error", sourceLocation: sourceLocation)
        if let text { #expect(outcome.stderr.contains(text), "\(arguments): \(outcome.stderr)", sourceLocation: sourceLocation) }
        #expect(try export() == before, "\(arguments) changed the workspace", sourceLocation: sourceLocation)
    }

    func file(_ name: String, _ contents: String) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data(contents.utf8).write(to: url)
        return url
    }
}

import FieldbookCatalogs
import FieldbookModel
import FieldbookStore
import FieldbookTestSupport
import Foundation
import Testing

/// Pinned libraries travel wherever evidence files travel (issue 19): a bundle, a clone from
/// it, an incremental bundle, and a real `fieldbook-server` to a clone that never imported
/// them. Libraries are pinned through the store API (what `catalog import` calls); everything
/// else runs the real binaries.
@Suite(.serialized)
struct LibraryTravelTests {
    /// Pins libraries in the workspace at `folder`, closing it again before the CLI runs.
    static func pin(_ documents: [LibraryDocument], in folder: URL) throws {
        let workspace = try Workspace.open(WorkspaceLocation(root: folder))
        try workspace.libraries.pin(documents.map(LibraryPin.init))
    }

    /// What the workspace at `folder` pins, each library with its bytes read back and checked.
    static func pinned(in folder: URL) throws -> [(library: Library, document: LibraryDocument)] {
        let workspace = try Workspace.open(WorkspaceLocation(root: folder))
        return try workspace.libraries.pinned().map { library in
            #expect(workspace.libraries.condition(of: library) == .intact, "\(library.urn)")
            return (library, try workspace.libraries.document(of: library))
        }
    }

    @Test("bundle export, clone from the bundle, and an incremental bundle carry the library entity and its bytes")
    func bundles() throws {
        let ana = try CLIWorkspace(assessor: "Ana")
        let first = LibraryFixture.framework(version: 1), mapping = LibraryFixture.mapping()
        try Self.pin([first, mapping], in: ana.folder)
        let bundle = ana.folder.appendingPathComponent("one.fbbundle").path
        let exported = try ana.run("bundle", "export", "-o", bundle, "--json")
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(try exported.json["library_files"] as? Int == 2)
        #expect(try (exported.json["missing_libraries"] as? [String])?.isEmpty == true)

        let ben = try CLIWorkspace(assessor: "Ben", initialize: false)
        let clone = try ben.run("clone", bundle, "--assessor", "Ben", "--json")
        #expect(clone.status == 0, "\(clone.stderr)")
        #expect(try (clone.json["imported"] as? [String: Any])?["new_library_files"] as? Int == 2)
        let cloned = try Self.pinned(in: ben.folder)
        #expect(cloned.map(\.library.urn) == [first.urn, mapping.urn].sorted())
        #expect(cloned.map(\.document) == [first, mapping].sorted { $0.urn < $1.urn })
        #expect(cloned.first { $0.library.urn == first.urn }?.library.sha256 == first.sha256)

        // A new version, pinned after the first bundle: --since-bundle carries its bytes.
        let second = LibraryFixture.framework(version: 2)
        try Self.pin([second], in: ana.folder)
        let increment = ana.folder.appendingPathComponent("two.fbbundle").path
        let incremental = try ana.run("bundle", "export", "-o", increment, "--since-bundle", bundle, "--json")
        #expect(incremental.status == 0, "\(incremental.stderr)")
        #expect(try incremental.json["library_files"] as? Int == 1)
        #expect(try incremental.json["changes"] as? Int == 2)
        let imported = try ben.run("bundle", "import", increment, "--json")
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try imported.json["new_library_files"] as? Int == 1)
        let updated = try Self.pinned(in: ben.folder).first { $0.library.urn == first.urn }
        #expect(updated?.library.version == 2 && updated?.library.sha256 == second.sha256 && updated?.document == second)
        // The export lists the pins, and the two replicas print the same one.
        let export = try ana.export()
        #expect(export == (try ben.export()))
        let libraries = try #require((try JSONSerialization.jsonObject(with: Data(export.utf8)) as? [String: Any])?["libraries"] as? [[String: Any]])
        #expect(libraries.map { $0["id"] as? String } == ["library:" + first.urn, "library:" + mapping.urn].sorted())
    }

    @Test("sync through a real fieldbook-server brings a library's bytes to a clone that never imported it")
    func server() throws {
        let server = try LocalServer()
        defer { server.stop() }
        let ana = try CLIWorkspace(assessor: "Ana")
        let engagement = try ana.run("status", "--field", "engagement").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try server.createEngagement(engagement)
        #expect(try ana.run("remote", "add", "origin", server.url, "--token", try server.token(for: "Ana", engagement: engagement)).status == 0)
        let first = LibraryFixture.framework(version: 1)
        try Self.pin([first], in: ana.folder)
        let sync = try ana.run("sync", "--json")
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(try sync.json["libraries_uploaded"] as? Int == 1)
        #expect(FileManager.default.fileExists(atPath: server.objects.appendingPathComponent(engagement).appendingPathComponent(first.sha256).path))

        let cy = try CLIWorkspace(assessor: "Cy", initialize: false)
        let clone = try cy.run("clone", server.url, "--engagement", engagement, "--token", try server.token(for: "Cy", engagement: engagement),
                               "--assessor", "Cy", "--json")
        #expect(clone.status == 0, "\(clone.stderr)")
        #expect(try (clone.json["synced"] as? [String: Any])?["libraries_downloaded"] as? Int == 1)
        #expect(try Self.pinned(in: cy.folder).map(\.document) == [first])

        // A new version pinned by Ana reaches Cy's next sync, bytes included.
        let second = LibraryFixture.framework(version: 2)
        try Self.pin([second], in: ana.folder)
        #expect(try ana.run("sync").status == 0)
        let pull = try cy.run("sync", "--json")
        #expect(pull.status == 0, "\(pull.stderr)")
        #expect(try pull.json["libraries_downloaded"] as? Int == 1)
        #expect(try Self.pinned(in: cy.folder).map(\.document) == [second])
    }
}

/// A `fieldbook-server serve` on SQLite and a free loopback port, built next to `fieldbook`.
private final class LocalServer {
    let folder: URL
    let process = Process()
    var url = ""
    var database: String { folder.appendingPathComponent("server.sqlite").path }
    var objects: URL { folder.appendingPathComponent("objects") }
    static var binary: URL { FieldbookProcess.binary.deletingLastPathComponent().appendingPathComponent("fieldbook-server") }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("fb-library-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "fieldbook-server is not built next to fieldbook")
        let output = folder.appendingPathComponent("stdout.log"), errors = folder.appendingPathComponent("stderr.log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.executableURL = Self.binary
        process.arguments = ["serve", "--port", "0", "--database", database, "--objects", objects.path]
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && process.isRunning {
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.contains("listening on") }),
               let address = line.split(separator: " ").last {
                url = String(address)
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        stop()
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "fieldbook-server did not start: "
            + ((try? String(contentsOf: errors, encoding: .utf8)) ?? "")])
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }

    private func admin(_ arguments: [String]) throws -> FieldbookProcess.Outcome {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments + ["--database", database]
        let out = folder.appendingPathComponent("admin-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: out) }
        let handle = try FileHandle(forWritingTo: out)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return .init(status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8), stderr: "")
    }

    func createEngagement(_ id: String) throws {
        let outcome = try admin(["engagement", "create", "Library travel", "--id", id])
        try #require(outcome.status == 0, "\(outcome.stdout)")
    }

    func token(for assessor: String, engagement: String) throws -> String {
        let outcome = try admin(["token", "create", "--assessor", assessor, "--engagement", engagement, "--json"])
        try #require(outcome.status == 0, "\(outcome.stdout)")
        return try #require(try outcome.json["token"] as? String)
    }
}

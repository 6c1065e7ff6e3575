import FieldbookCatalogs
import FieldbookModel
import FieldbookStore
import FieldbookTestSupport
import Foundation
import Testing

/// Pinned libraries (issue 19) through the server on both backends: changes of kind `library`
/// are accepted and served like any other, their bytes stored and served as blobs, and two
/// assessors pinning different versions concurrently end with the same visible conflict and
/// both versions' bytes.
@Suite(.serialized)
struct LibrarySyncTests {
    static func pin(_ document: LibraryDocument, on laptop: Laptop) throws {
        try Workspace.open(WorkspaceLocation(root: laptop.folder)).libraries.pin(document)
    }

    static func workspace(_ laptop: Laptop) throws -> Workspace { try Workspace.open(WorkspaceLocation(root: laptop.folder)) }

    @Test("library changes and bytes go through the server; concurrent versions conflict on sha256 on every replica",
          arguments: ServerBackend.underTest)
    func librariesThroughTheServer(backend: ServerBackend) throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        let engagement = try server.createEngagement("Libraries")
        let laptops = try ["Ana", "Ben"].map { name -> Laptop in
            let laptop = try Laptop()
            let token = try server.token(for: name, engagement: engagement).secret
            let clone = try laptop.run("clone", server.url, "--engagement", engagement, "--token", token, "--assessor", name)
            #expect(clone.status == 0, "\(clone.stderr)")
            return laptop
        }
        let (ana, ben) = (laptops[0], laptops[1])
        try Self.pin(LibraryFixture.framework(version: 1), on: ana)
        #expect(try ana.json("sync", "--json")["libraries_uploaded"] as? Int == 1)
        #expect(try ben.json("sync", "--json")["libraries_downloaded"] as? Int == 1)
        let received = try #require(try Self.workspace(ben).libraries.pinned().first)
        #expect(received.version == 1)
        #expect(try Self.workspace(ben).libraries.document(of: received) == LibraryFixture.framework(version: 1))

        // Offline, each pins another version; after syncing, both see the same conflict and hold both versions' bytes.
        try Self.pin(LibraryFixture.framework(version: 2), on: ana)
        try Self.pin(LibraryFixture.framework(version: 3), on: ben)
        for laptop in [ana, ben, ana] { #expect(try laptop.run("sync").status == 0) }
        let versions = [2, 3].map { LibraryFixture.framework(version: $0).sha256 }
        for laptop in laptops {
            let workspace = try Self.workspace(laptop)
            let library = try #require(try workspace.libraries.pinned().first)
            #expect(Set(library.conflictedFields) == ["sha256", "version"])
            for sha in versions { #expect(workspace.objects.verify(sha) == .intact) }
            #expect(try workspace.exchange.missingObjects().isEmpty)
        }
        #expect(try ana.export() == ben.export())
        let conflicts = try ana.json("status", "--json")["conflicts"] as? Int
        #expect(conflicts == 2)
    }
}

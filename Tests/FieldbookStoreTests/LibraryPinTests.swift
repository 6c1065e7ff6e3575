import FieldbookCatalogs
import FieldbookModel
import FieldbookReplica
import FieldbookStore
import FieldbookTestSupport
import Foundation
import GRDB
import Testing

/// Libraries pinned by the engagement (issue 19): one entity per URN, bytes in the object store.
struct LibraryPinTests {
    private let now: UInt64 = 1_700_000_100_000

    @Test("pinning stores the canonical bytes and writes the library entity; the same pin again writes nothing")
    func pinAndRepin() throws {
        let temporary = try TemporaryWorkspace()
        let workspace = temporary.workspace
        let document = LibraryFixture.framework(version: 1)
        let written = try workspace.libraries.pin(document, now: now)
        #expect(Set(written.map(\.field)) == ["name", "version", "sha256", "framework", "content"])
        let id = try #require(EntityID.library(urn: document.urn))
        #expect(written.allSatisfy { $0.entity == id && $0.kind == .library })
        let library = try #require(try workspace.libraries.pinned().first)
        #expect(library.urn == document.urn && library.version == 1 && library.sha256 == document.sha256)
        #expect(library.framework == "travel-controls" && library.content == .framework && library.name == "Travel controls")
        #expect(workspace.objects.verify(document.sha256) == .intact)
        #expect(workspace.libraries.condition(of: library) == .intact)
        #expect(try workspace.libraries.bytes(of: library) == document.canonicalData)
        #expect(try workspace.libraries.document(of: library) == document)
        #expect(try workspace.exchange.referencedObjects() == [document.sha256: .library])

        let before = try workspace.summary().changes
        #expect(try workspace.libraries.pin(document, now: now + 1).isEmpty)
        #expect(try workspace.summary().changes == before)

        let mapping = LibraryFixture.mapping()
        try workspace.libraries.pin(mapping, now: now + 2)
        let pinned = try workspace.libraries.pinned()
        #expect(pinned.map(\.urn) == [document.urn, mapping.urn].sorted())
        let mappingPin = try #require(try workspace.libraries.pinned(urn: mapping.urn.uppercased()))
        #expect(mappingPin.content == .mapping && mappingPin.framework == nil)
    }

    @Test("a new version of a library is an update of its sha256 and version, not a second entity")
    func newVersion() throws {
        let temporary = try TemporaryWorkspace()
        let workspace = temporary.workspace
        try workspace.libraries.pin(LibraryFixture.framework(version: 1), now: now)
        let second = LibraryFixture.framework(version: 2)
        let written = try workspace.libraries.pin(second, now: now + 1)
        #expect(Set(written.map(\.field)) == ["version", "sha256"])
        let pinned = try workspace.libraries.pinned()
        #expect(pinned.count == 1 && pinned[0].version == 2 && pinned[0].sha256 == second.sha256)
        #expect(try workspace.libraries.document(of: pinned[0]) == second)
        // The earlier version's bytes stay in the object store; only the pinned one is referenced.
        #expect(workspace.objects.contains(LibraryFixture.framework(version: 1).sha256))
        #expect(try workspace.exchange.referencedObjects().keys.sorted() == [second.sha256])
    }

    @Test("two assessors pinning different versions concurrently meet as a conflict on sha256 and version")
    func concurrentPins() throws {
        let ana = try TemporaryWorkspace(assessor: "Ana")
        let ben = try TemporaryWorkspace(assessor: "Ben")
        func exchange() throws {
            _ = try ben.workspace.apply(remote: try ana.workspace.exchange.changes(missingFrom: try ben.workspace.versionVector()), now: now + 10)
            _ = try ana.workspace.apply(remote: try ben.workspace.exchange.changes(missingFrom: try ana.workspace.versionVector()), now: now + 10)
        }
        try ana.workspace.libraries.pin(LibraryFixture.framework(version: 1), now: now)
        try exchange()
        try ana.workspace.libraries.pin(LibraryFixture.framework(version: 2), now: now + 1)
        try ben.workspace.libraries.pin(LibraryFixture.framework(version: 3), now: now + 2)
        try exchange()
        for side in [ana.workspace, ben.workspace] {
            let library = try #require(try side.libraries.pinned().first)
            #expect(Set(library.conflictedFields) == ["sha256", "version"])
            // Both versions' bytes are referenced (the values in conflict), so both travel.
            #expect(try side.exchange.referencedObjects().keys.sorted()
                == [LibraryFixture.framework(version: 2).sha256, LibraryFixture.framework(version: 3).sha256].sorted())
        }
        // Pinning one version again settles it.
        try ana.workspace.libraries.pin(LibraryFixture.framework(version: 3), now: now + 3)
        let settled = try #require(try ana.workspace.libraries.pinned().first)
        #expect(settled.conflictedFields.isEmpty && settled.version == 3)
    }

    @Test("missing or damaged bytes are reported with the library's URN; pinning again repairs them")
    func damagedBytes() throws {
        let temporary = try TemporaryWorkspace()
        let workspace = temporary.workspace
        let document = LibraryFixture.framework(version: 1)
        try workspace.libraries.pin(document, now: now)
        let library = try #require(try workspace.libraries.pinned().first)
        let file = try #require(workspace.libraries.file(of: library))
        try Data("not the library".utf8).write(to: file)
        #expect(workspace.libraries.condition(of: library) == .damaged)
        #expect(try workspace.libraries.verify().map(\.condition) == [.damaged])
        #expect {
            try workspace.libraries.bytes(of: library)
        } throws: { error in
            guard case .stateConflict(let sentence)? = error as? StoreError else { return false }
            return sentence.contains(document.urn) && sentence.contains("damaged")
        }
        try FileManager.default.removeItem(at: file)
        #expect(workspace.libraries.condition(of: library) == .missing)
        #expect(try workspace.exchange.missingObjects() == [document.sha256: .library])
        #expect(throws: StoreError.self) { try workspace.libraries.bytes(of: library) }

        // Pinning the same library again restores the bytes and writes no change.
        #expect(try workspace.libraries.pin(document, now: now + 1).isEmpty)
        #expect(workspace.libraries.condition(of: library) == .intact)
        #expect(try workspace.exchange.missingObjects().isEmpty)
        try Data("damaged again".utf8).write(to: file)
        #expect(try workspace.libraries.pin(document, now: now + 2).isEmpty)
        #expect(workspace.libraries.condition(of: library) == .intact)
    }

    @Test("bytes that are not the library's canonical form, or a URN no id can hold, are refused and leave nothing")
    func refusals() throws {
        let temporary = try TemporaryWorkspace()
        let workspace = temporary.workspace
        let document = LibraryFixture.framework(version: 1)
        let before = try workspace.summary().changes
        let pins: [LibraryPin] = [
            // Not canonical: a space after the JSON.
            LibraryPin(urn: document.urn, name: "x", version: 1, framework: nil, content: .framework,
                       canonicalBytes: document.canonicalData + Data(" ".utf8)),
            // Another version than the bytes hold.
            LibraryPin(urn: document.urn, name: "x", version: 2, framework: nil, content: .framework, canonicalBytes: document.canonicalData),
            // Another URN than the bytes hold.
            LibraryPin(urn: "urn:other:library", name: "x", version: 1, framework: nil, content: .framework, canonicalBytes: document.canonicalData),
            // Not a library at all.
            LibraryPin(urn: document.urn, name: "x", version: 1, framework: nil, content: .framework, canonicalBytes: Data("{}".utf8)),
            // A URN longer than an entity id.
            LibraryPin(LibraryFixture.framework(urn: "urn:fieldbook:risk:library:" + String(repeating: "x", count: 120))),
            // A URN with a character ids do not hold.
            LibraryPin(LibraryFixture.framework(urn: "urn:fieldbook:risk:library:a/b")),
        ]
        for pin in pins {
            #expect(throws: StoreError.self) { try workspace.libraries.pin([pin], now: now) }
        }
        // All or nothing: a good pin beside a bad one is not written either.
        #expect(throws: StoreError.self) { try workspace.libraries.pin([LibraryPin(document), pins[0]], now: now) }
        #expect(try workspace.summary().changes == before)
        #expect(try workspace.libraries.pinned().isEmpty)
        #expect(!workspace.objects.contains(document.sha256))
        #expect(EntityID.library(urn: "URN:X:Y")?.rawValue == "library:urn:x:y")
        #expect(EntityID("library:urn:x:y")?.libraryURN == "urn:x:y" && EntityID("risk-1")?.libraryURN == nil)
    }

    @Test("a change naming a library id under another kind, or a library under another id, is refused by the receive path")
    func idRule() throws {
        let temporary = try TemporaryWorkspace()
        let id = try #require(EntityID.library(urn: LibraryFixture.frameworkURN))
        #expect(throws: StoreError.self) { try temporary.workspace.write([.set(id, .risk, field: "title", .text("x"))]) }
        #expect(throws: StoreError.self) {
            try temporary.workspace.write([.set(EntityID("0193e000-0000-7000-8000-00000000000a")!, .library, field: "name", .text("x"))])
        }
    }

    @Test("a workspace made before libraries (schema 6) is migrated on open and can pin")
    func upgradeFromSchema6() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fb-store-upgrade-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = WorkspaceLocation(root: folder)
        let risk = EntityID("0193e000-0000-7000-8000-00000000000b")!
        do {
            let workspace = try Workspace.create(at: location, engagement: EntityID("eng-upgrade")!, assessor: "Ana",
                                                 engagementName: "Before libraries", scope: nil, now: now)
            try workspace.write([.set(risk, .risk, field: "title", .text("Bias"))], now: now)
        }
        // Take the workspace back to what schema 6 made: no library table, v7 never applied.
        do {
            let database = try DatabaseQueue(path: location.database.path)
            try database.write { db in
                try db.execute(sql: "DROP TABLE library")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v7-libraries'")
                try db.execute(sql: "UPDATE meta SET value = '6' WHERE key = 'schema_version'")
            }
            try database.close()
        }
        let reopened = try Workspace.open(location)
        #expect(try reopened.read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'library')") } == true)
        #expect(try reopened.record(risk)?.text("title") == "Bias")
        try reopened.libraries.pin(LibraryFixture.framework(version: 1), now: now + 1)
        #expect(try reopened.libraries.pinned().count == 1)
    }

    @Test("a library is read through the parsed-library cache; a damaged or missing entry is read from the bytes again and rewritten")
    func parsedCache() throws {
        let temporary = try TemporaryWorkspace()
        let workspace = temporary.workspace
        let document = LibraryFixture.framework(version: 2)
        try workspace.libraries.pin(document, now: now)
        let library = try #require(try workspace.libraries.pinned().first)
        let entry = workspace.location.cache.appendingPathComponent("libraries").appendingPathComponent(document.sha256)
        #expect(FileManager.default.fileExists(atPath: entry.path), "pinning primes the cache")
        #expect(try workspace.libraries.document(of: library) == document)
        let intact = try Data(contentsOf: entry)
        var flipped = intact
        flipped[flipped.count - 3] ^= 0x01
        for damage in [Data(), Data("not an entry".utf8), Data(document.sha256.utf8) + Data("FBLIB1".utf8), flipped] {
            try damage.write(to: entry)
            #expect(try workspace.libraries.document(of: library) == document)
            #expect(try Data(contentsOf: entry) != damage, "the entry is written again")
        }
        try FileManager.default.removeItem(at: workspace.location.cache)
        #expect(try workspace.libraries.document(of: library) == document)
        // Without the bytes the library is not here, whatever the cache holds.
        try FileManager.default.removeItem(at: try #require(workspace.libraries.file(of: library)))
        #expect(throws: StoreError.self) { try workspace.libraries.document(of: library) }
    }
}

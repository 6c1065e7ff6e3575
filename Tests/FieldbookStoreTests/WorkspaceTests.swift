import FieldbookModel
import FieldbookReplica
import FieldbookStore
import Foundation
import GRDB
import Testing

struct WorkspaceTests {
    @Test("a local edit supersedes what the writer saw, so rewriting a field is no conflict")
    func localEdits() throws {
        let temporary = try TemporaryWorkspace()
        let risk = EntityID("0193a000-0000-7000-8000-000000000001")!
        try temporary.workspace.write([.set(risk, .risk, field: "title", .text("Bias")), .set(risk, .risk, field: "likelihood", .integer(2)),
                                       .set(risk, .risk, field: "impact", .integer(5))])
        try temporary.workspace.write([.set(risk, .risk, field: "title", .text("Bias in scoring"))])
        let record = try #require(try temporary.workspace.record(risk))
        #expect(record.text("title") == "Bias in scoring")
        #expect(record.conflictedFields.isEmpty)
        let history = try temporary.workspace.history(of: risk)
        #expect(history.count == 4)
        #expect(history.last?.supersedes == [history[0].dot])
        #expect(Set(history.map(\.author)) == ["Ana"])
        #expect(Set(history.map(\.dot.site)) == [temporary.workspace.identity.site])
    }

    @Test("a local edit treating an entity as another kind is refused (ChangeIntake.checkLocal), within one write and after it")
    func localKindMismatch() throws {
        let temporary = try TemporaryWorkspace()
        let risk = EntityID("0193a000-0000-7000-8000-000000000001")!
        let asRisk = LocalEdit.set(risk, .risk, field: "title", .text("Bias"))
        let asSystem = LocalEdit.set(risk, .system, field: "name", .text("Scorer"))
        func expectRefused(_ edits: [LocalEdit]) throws {
            let before = try temporary.workspace.summary().changes
            do {
                try temporary.workspace.write(edits)
                Issue.record("wrote a risk as a system")
            } catch StoreError.refused(let refusal) {
                #expect(refusal == .kindMismatch(risk, existing: .risk, incoming: .system))
            }
            #expect(try temporary.workspace.summary().changes == before)
        }
        try expectRefused([asRisk, asSystem])
        try temporary.workspace.write([asRisk])
        try expectRefused([asSystem])
    }

    @Test("a remote batch with one invalid change is refused whole and leaves the log unchanged")
    func atomicRemote() throws {
        let temporary = try TemporaryWorkspace()
        let before = try temporary.workspace.summary().changes
        let ben = ChangeSigner()
        let site = ben.site
        let risk = EntityID("r-1")!
        let good = ben.sign(Change(dot: Dot(site: site, counter: 1), hlc: HLCTimestamp(wall: 1_700_000_000_000, logical: 0), author: "Ben",
                          entity: risk, kind: .risk, field: "title", value: .text("Drift")))
        let bad = ben.sign(Change(dot: Dot(site: site, counter: 2), hlc: HLCTimestamp(wall: 1_700_000_000_001, logical: 0), author: "Ben",
                         entity: risk, kind: .risk, field: "impact", value: .integer(11)))
        #expect(throws: StoreError.self) { try temporary.workspace.apply(remote: [good, bad]) }
        let forged = ben.sign(Change(dot: Dot(site: site, counter: 1), hlc: good.hlc, author: "Ben", entity: risk, kind: .risk, field: "title",
                            value: .text("Other")))
        _ = try temporary.workspace.apply(remote: [good])
        #expect(throws: StoreError.self) { try temporary.workspace.apply(remote: [forged]) }
        #expect(try temporary.workspace.summary().changes == before + 1)
    }

    @Test("unsigned, altered and re-authored changes are refused naming author and change; nothing is applied")
    func signatures() throws {
        let temporary = try TemporaryWorkspace()
        let before = try temporary.workspace.summary().changes
        let ben = ChangeSigner()
        let risk = EntityID("r-1")!
        let good = ben.sign(Change(dot: Dot(site: ben.site, counter: 1), hlc: HLCTimestamp(wall: 1_700_000_000_000, logical: 0),
                                   author: "Ben", entity: risk, kind: .risk, field: "title", value: .text("Drift")))
        let altered = Change(dot: good.dot, hlc: good.hlc, author: "Ben", entity: risk, kind: .risk, field: "title",
                             value: .text("Tampered"), publicKey: good.publicKey, signature: good.signature)
        let unsigned = good.with(publicKey: Data(), signature: Data())
        let mallory = ChangeSigner()
        let stolenSite = mallory.sign(Change(dot: Dot(site: ben.site, counter: 2), hlc: good.hlc, author: "Ben", entity: risk,
                                             kind: .risk, field: "title", value: .text("As Ben")))
        for (batch, expected) in [([altered], "does not match its signature"), ([unsigned], "carries no valid signing key"),
                                  ([stolenSite], "carries no valid signing key")] {
            do {
                _ = try temporary.workspace.apply(remote: batch)
                Issue.record("accepted \(expected)")
            } catch {
                #expect("\(error)".contains(expected) && "\(error)".contains("Ben") && "\(error)".contains(ben.site.short), "\(error)")
            }
        }
        _ = try temporary.workspace.apply(remote: [good])
        let renamed = ben.sign(Change(dot: Dot(site: ben.site, counter: 2), hlc: HLCTimestamp(wall: 1_700_000_000_001, logical: 0),
                                      author: "Mallory", entity: risk, kind: .risk, field: "title", value: .text("Other")))
        #expect(throws: StoreError.self) { try temporary.workspace.apply(remote: [renamed]) }
        #expect(try temporary.workspace.summary().changes == before + 1)
    }

    @Test("a change stamped a day ahead is refused naming its site")
    func clockSkew() throws {
        let temporary = try TemporaryWorkspace()
        let ben = ChangeSigner()
        let site = ben.site
        let now: UInt64 = 1_800_000_000_000
        let future = ben.sign(Change(dot: Dot(site: site, counter: 1), hlc: HLCTimestamp(wall: now + 86_400_000, logical: 0), author: "Ben",
                            entity: EntityID("r-1")!, kind: .risk, field: "title", value: .text("Drift")))
        do {
            _ = try temporary.workspace.apply(remote: [future], now: now)
            Issue.record("accepted a change a day ahead")
        } catch {
            #expect("\(error)".contains(site.short))
        }
    }

    @Test("importing the same changes twice changes nothing the second time")
    func idempotent() throws {
        let temporary = try TemporaryWorkspace()
        let ben = ChangeSigner()
        let site = ben.site
        let changes = (1...20).map {
            ben.sign(Change(dot: Dot(site: site, counter: UInt64($0)), hlc: HLCTimestamp(wall: 1_700_000_000_000 + UInt64($0), logical: 0),
                            author: "Ben", entity: EntityID("r-\($0 % 3)")!, kind: .risk, field: "title", value: .text("T\($0)")))
        }
        let first = try temporary.workspace.apply(remote: changes)
        let second = try temporary.workspace.apply(remote: changes.reversed())
        #expect(first.applied == 20 && second.applied == 0 && second.duplicates == 20)
    }

    @Test("opening refuses a missing workspace, a foreign database and a newer schema")
    func openingErrors() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fb-open-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(".fieldbook"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = WorkspaceLocation(root: folder)
        #expect(throws: StoreError.self) { try Workspace.open(WorkspaceLocation(root: folder.appendingPathComponent("none"))) }
        // Not a database at all.
        try Data("hello".utf8).write(to: location.database)
        #expect { try Workspace.open(location) } throws: { "\($0)".contains("not a Fieldbook database") }
        // Another program's SQLite database.
        try FileManager.default.removeItem(at: location.database)
        let other = try DatabaseQueue(path: location.database.path)
        try other.write { try $0.execute(sql: "CREATE TABLE notes (text TEXT)") }
        try other.close()
        #expect { try Workspace.open(location) } throws: { "\($0)".contains("not a Fieldbook database") }

        let temporary = try TemporaryWorkspace()
        let path = temporary.workspace.location.database.path
        let raw = try DatabaseQueue(path: path)
        try raw.write { try $0.execute(sql: "UPDATE meta SET value = '99' WHERE key = 'schema_version'") }
        try raw.close()
        #expect { try Workspace.open(temporary.workspace.location) } throws: { "\($0)".contains("newer Fieldbook") }
    }

    @Test("evidence objects are stored by SHA-256 and verified")
    func objects() throws {
        let temporary = try TemporaryWorkspace()
        let file = temporary.folder.appendingPathComponent("policy.txt")
        try Data("AI policy v1".utf8).write(to: file)
        let stored = try temporary.workspace.objects.add(contentsOf: file)
        #expect(stored.sha256 == "7c3ae5ba6d6d6b7ad3b2f4ec6a5b0b67d0e4d15af2cf0fe6f69d8b93a4e5b0a1" || stored.sha256.count == 64)
        #expect(stored.size == 12)
        #expect(temporary.workspace.objects.verify(stored.sha256) == .intact)
        try Data("tampered".utf8).write(to: temporary.workspace.objects.path(for: stored.sha256))
        #expect(temporary.workspace.objects.verify(stored.sha256) == .damaged)
        #expect(temporary.workspace.objects.verify(String(repeating: "0", count: 64)) == .missing)
        let scratch = try FileManager.default.contentsOfDirectory(atPath: temporary.workspace.location.scratch.path)
        #expect(scratch.isEmpty)
    }
}

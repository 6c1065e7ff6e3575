import FieldbookModel
import FieldbookReplica
import FieldbookStore
import Foundation
import GRDB
import Testing

/// Schema v14 keeps the log's content in segments (`SegmentStore`) and a narrow row per
/// change: what is read back must be exactly what was received, link, signature and hash
/// included, and a damaged segment must be reported as damage, never read as something else.
struct SegmentStoreTests {
    @Test("a batch is kept in segments of 256 changes and every change reads back as received, hash and signature included")
    func readsBackAsReceived() throws {
        let changes = try IncrementalApplyTests.randomChanges(seed: 33, replicas: 3, steps: 900)
        let temporary = try TemporaryWorkspace()
        let report = try temporary.workspace.apply(remote: changes, now: 1_800_000_000_000)
        #expect(report.applied == changes.count)
        let segments = try temporary.workspace.database.read { db in
            try Int.fetchAll(db, sql: "SELECT COUNT(*) FROM change_row GROUP BY segment ORDER BY segment")
        }
        // The engagement's own first change, then the batch in full segments and one partial.
        #expect(segments.dropFirst() == ArraySlice(Array(repeating: 256, count: changes.count / 256) + [changes.count % 256]))

        let sent = Dictionary(uniqueKeysWithValues: changes.map { ($0.dot, $0) })
        var read = 0
        for entity in Set(changes.map(\.entity)) {
            for change in try temporary.workspace.history(of: entity) {
                let original = try #require(sent[change.dot])
                #expect(ChangeHash.of(change) == ChangeHash.of(original), "\(change.dot)")
                #expect(change.signature == original.signature && change.prev == original.prev, "\(change.dot)")
                read += 1
            }
        }
        #expect(read == changes.count)
        let verification = try temporary.workspace.verifyHistory()
        #expect(verification.failures.isEmpty && verification.checked == changes.count + 1)
    }

    @Test("a damaged segment is reported as a damaged workspace file, naming the segment")
    func damagedSegment() throws {
        let changes = try IncrementalApplyTests.randomChanges(seed: 7, replicas: 2, steps: 60)
        let temporary = try TemporaryWorkspace()
        _ = try temporary.workspace.apply(remote: changes, now: 1_800_000_000_000)
        let damaged = try temporary.workspace.database.write { db -> Int64 in
            let id = try #require(try Int64.fetchOne(db, sql: "SELECT MAX(segment) FROM change_row"))
            try db.execute(sql: "UPDATE segment SET bytes = substr(bytes, 1, length(bytes) / 2) WHERE id = ?", arguments: [id])
            return id
        }
        #expect {
            _ = try temporary.workspace.log()
        } throws: { error in
            let message = String(describing: error)
            return message.contains("segment \(damaged)") && message.contains("damaged")
        }
    }
}

import FieldbookModel
import FieldbookReplica
import FieldbookStore
import Foundation

/// Local edits per second through the store, and 100k remote changes from 10 sites applied
/// (merge + materialisation) compared in the same run with the raw rate of inserting the
/// same rows with one prepared statement in one transaction.
enum StoreBenchmark {
    static func freshWorkspace(_ name: String) throws -> Workspace {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fb-bench-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try Workspace.create(at: WorkspaceLocation(root: folder), engagement: EntityID("bench")!, assessor: "Bench",
                                    engagementName: nil, scope: nil)
    }

    static func run() throws {
        // As a batch arrives: encoded and decoded, so signatures travel only at run ends.
        let arrived = try ChangeBatch.decode(ChangeBatch(try ReplicaBenchmark.workload()).encoded())
        let changes = arrived.changes, hashes = arrived.hashes!
        defer { cleanup() }

        // Local edits: one transaction per command, as the CLI does.
        let local = try freshWorkspace("local")
        let edits = 2_000
        let localSeconds = try measure {
            for index in 0..<edits {
                let risk = EntityID(String(format: "0193c000-0000-7000-8000-%012d", index % 200))!
                try local.write([.set(risk, .risk, field: "likelihood", .integer(Int64(index % 5 + 1)))])
            }
        }

        let raw = try freshWorkspace("raw")
        let rawSeconds = try measure { try raw.insertWithoutMergingForBenchmark(changes, hashes: hashes) }
        let capi = try freshWorkspace("capi")
        let capiSeconds = try measure { try capi.insertThroughSQLiteForBenchmark(changes, hashes: hashes) }
        let applied = try freshWorkspace("apply")
        var report: ApplyReport?
        let applySeconds = try measure { report = try applied.apply(remote: changes, hashes: hashes) }
        let batched = try freshWorkspace("batched")
        let batchedSeconds = try measure {
            for start in stride(from: 0, to: changes.count, by: 10_000) {
                let end = min(start + 10_000, changes.count)
                _ = try batched.apply(remote: Array(changes[start..<end]), hashes: Array(hashes[start..<end]))
            }
        }
        let rawRate = Double(changes.count) / rawSeconds, applyRate = Double(changes.count) / applySeconds
        let capiRate = Double(changes.count) / capiSeconds
        print("store: local edits, one transaction each")
        print(String(format: "  %d edits in %.3f s: %.0f edits/s", edits, localSeconds, Double(edits) / localSeconds))
        print("store: \(changes.count) remote changes from 10 sites (applied \(report?.applied ?? 0))")
        print(String(format: "  SQLite C API insert, same rows:     %.3f s, %.0f rows/s", capiSeconds, capiRate))
        print(String(format: "  GRDB insert, one prepared statement: %.3f s, %.0f rows/s", rawSeconds, rawRate))
        print(String(format: "  apply, one batch (merge + state):   %.3f s, %.0f changes/s", applySeconds, applyRate))
        print(String(format: "  apply, batches of 10k:              %.3f s, %.0f changes/s", batchedSeconds, Double(changes.count) / batchedSeconds))
        print(String(format: "  ratio apply / SQLite C API insert: %.0f%% (target at least 50%%); apply / GRDB insert: %.0f%%",
                     100 * applyRate / capiRate, 100 * applyRate / rawRate))
    }

    static func cleanup() {
        let temporary = FileManager.default.temporaryDirectory
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? [] where name.hasPrefix("fb-bench-") {
            try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
        }
    }
}

import FieldbookReplica
import FieldbookStore
import Foundation
import GRDB

/// Benchmark-only writes, kept out of the release modules: they reach the store's database and
/// row shape through `package` access. Both insert the log's row as schema v10 stored it (site
/// id as text, `WideChangeRow.benchmarkTable`): the baseline issue 33 measures the apply rate against.
extension Workspace {
    /// Inserts change rows with one prepared statement in one transaction, with no merge
    /// work at all: the baseline `Scripts/bench-store.sh` compares `apply(remote:)` against.
    /// It leaves the current-state tables stale, so only the benchmark calls it.
    func insertWithoutMergingForBenchmark(_ changes: [Change], hashes: [Data]) throws {
        try database.write { db in
            try db.execute(sql: WideChangeRow.benchmarkTable)
            let statement = try db.makeStatement(sql: WideChangeRow.benchmarkInsert)
            for (change, hash) in zip(changes, hashes) { try statement.execute(arguments: WideChangeRow.arguments(change, hash: hash, live: true)) }
        }
    }

    /// The same rows bound through SQLite's C API (`WideRowInsert`), one prepared statement in
    /// one transaction: the rate SQLite itself reaches, which `apply(remote:)` is measured against.
    func insertThroughSQLiteForBenchmark(_ changes: [Change], hashes: [Data]) throws {
        try database.write { db in
            try db.execute(sql: WideChangeRow.benchmarkTable)
            var insert = try WideRowInsert(db)
            defer { insert.finish() }
            for (change, hash) in zip(changes, hashes) { try insert.insert(change, hash: hash, live: true) }
        }
    }
}

import FieldbookReplica
import Foundation
import GRDB

extension Workspace {
    /// Inserts change rows with one prepared statement in one transaction, with no merge
    /// work at all: the baseline `Scripts/bench-store.sh` compares `apply(remote:)` against.
    /// It leaves the current-state tables stale, so only the benchmark calls it.
    public func insertWithoutMergingForBenchmark(_ changes: [Change], hashes: [Data]) throws {
        try database.write { db in
            let statement = try db.makeStatement(sql: ChangeRow.insert)
            for (change, hash) in zip(changes, hashes) { try statement.execute(arguments: ChangeRow.arguments(change, hash: hash, live: true)) }
        }
    }
}

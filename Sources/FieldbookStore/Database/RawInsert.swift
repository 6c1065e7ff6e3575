import FieldbookReplica
import GRDB

extension Workspace {
    /// Inserts change rows with one prepared statement in one transaction, with no merge
    /// work at all: the baseline `Scripts/bench-store.sh` compares `apply(remote:)` against.
    /// It leaves the current-state tables stale, so only the benchmark calls it.
    public func insertWithoutMergingForBenchmark(_ changes: [Change]) throws {
        try database.write { db in
            let statement = try db.makeStatement(sql: ChangeRow.insert)
            for change in changes { try statement.execute(arguments: ChangeRow.arguments(change, live: true)) }
        }
    }
}

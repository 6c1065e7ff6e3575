import FieldbookReplica
import Foundation
import GRDB

/// The `change` insert, the apply path's hottest statement, bound through SQLite's C API
/// (`BoundStatement`). The benchmark's raw insert uses the same binder, so both insert the
/// same rows the same way.
package struct ChangeInsert {
    private var statement: BoundStatement

    package init(_ db: Database) throws {
        statement = try BoundStatement(db, sql: ChangeRow.insert)
    }

    /// Finalizes the statement; call once the transaction is done with it.
    package func finish() { statement.finish() }

    package mutating func insert(_ change: Change, hash: Data, live: Bool) throws {
        let (tag, valueText, valueInteger) = ChangeRow.split(change.value)
        statement.text(change.dot.site.text)
        statement.integer(Int64(bitPattern: change.dot.counter))
        statement.integer(Int64(bitPattern: change.hlc.rawValue))
        statement.text(change.author)
        statement.text(change.entity.rawValue)
        statement.text(change.kind.rawValue)
        statement.text(change.field)
        statement.text(change.operation.rawValue)
        statement.text(change.operation == .set ? nil : change.value.description)
        statement.text(tag)
        statement.text(valueText)
        statement.integer(valueInteger)
        statement.text(change.supersedes.isEmpty ? nil : change.supersedes.map(\.description).joined(separator: " "))
        statement.blob(change.signature)
        statement.blob(change.prev)
        statement.blob(hash)
        statement.integer(live ? 1 : 0)
        try statement.run()
    }
}

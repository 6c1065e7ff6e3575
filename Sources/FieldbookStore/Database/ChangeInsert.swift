import FieldbookReplica
import Foundation
import GRDB
import GRDBSQLite

/// The `change` insert bound through SQLite's C API: the apply path's hottest statement, bound
/// column by column with no per-row allocation (GRDB's `StatementArguments` builds an array of
/// values per row). The benchmark's raw insert uses the same binder, so both insert the same
/// rows the same way.
struct ChangeInsert {
    private let statement: OpaquePointer
    private let connection: OpaquePointer

    init(_ db: Database) throws {
        var prepared: OpaquePointer?
        let code = sqlite3_prepare_v3(db.sqliteConnection, ChangeRow.insert, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
        guard code == SQLITE_OK, let prepared else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot prepare the change insert") }
        statement = prepared
        connection = db.sqliteConnection!
    }

    /// Finalizes the statement; call once the transaction is done with it.
    func finish() { sqlite3_finalize(statement) }

    func insert(_ change: Change, hash: Data, live: Bool) throws {
        var index: Int32 = 0
        func text(_ value: String?) {
            index += 1
            guard var text = value else { sqlite3_bind_null(statement, index); return }
            text.withUTF8 { utf8 in
                _ = utf8.withMemoryRebound(to: CChar.self) { sqlite3_bind_text(statement, index, $0.baseAddress, Int32($0.count), Self.transient) }
            }
        }
        func integer(_ value: Int64?) {
            index += 1
            if let value { sqlite3_bind_int64(statement, index, value) } else { sqlite3_bind_null(statement, index) }
        }
        func blob(_ value: Data) {
            index += 1
            guard !value.isEmpty else { sqlite3_bind_null(statement, index); return }
            value.withUnsafeBytes { _ = sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), Self.transient) }
        }
        let (tag, valueText, valueInteger) = ChangeRow.split(change.value)
        text(change.dot.site.text)
        integer(Int64(bitPattern: change.dot.counter))
        integer(Int64(bitPattern: change.hlc.rawValue))
        text(change.author)
        text(change.entity.rawValue)
        text(change.kind.rawValue)
        text(change.field)
        text(change.operation.rawValue)
        text(change.operation == .set ? nil : change.value.description)
        text(tag)
        text(valueText)
        integer(valueInteger)
        text(change.supersedes.isEmpty ? nil : change.supersedes.map(\.description).joined(separator: " "))
        blob(change.signature)
        blob(change.prev)
        blob(hash)
        integer(live ? 1 : 0)
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)))
        }
    }

    /// SQLITE_TRANSIENT: SQLite copies the bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

import FieldbookModel
import Foundation
import GRDB
import GRDBSQLite

/// A statement bound through SQLite's C API, value by value, with no per-row allocation (GRDB's
/// `StatementArguments` builds an array of boxed values per execution). For the apply path's
/// hottest statements: the change insert and the materialiser's rows. Valid inside the
/// transaction that made it; `finish()` once done.
struct BoundStatement {
    private let statement: OpaquePointer
    private let connection: OpaquePointer
    private var index: Int32 = 0

    init(_ db: Database, sql: String) throws {
        var prepared: OpaquePointer?
        let code = sqlite3_prepare_v3(db.sqliteConnection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
        guard code == SQLITE_OK, let prepared else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot prepare \(sql)")
        }
        statement = prepared
        connection = db.sqliteConnection!
    }

    func finish() { sqlite3_finalize(statement) }

    mutating func text(_ value: String?) {
        index += 1
        guard var text = value else { sqlite3_bind_null(statement, index); return }
        let index = index
        text.withUTF8 { utf8 in
            _ = utf8.withMemoryRebound(to: CChar.self) { sqlite3_bind_text(statement, index, $0.baseAddress, Int32($0.count), Self.transient) }
        }
    }

    mutating func integer(_ value: Int64?) {
        index += 1
        if let value { sqlite3_bind_int64(statement, index, value) } else { sqlite3_bind_null(statement, index) }
    }

    /// An empty blob is bound as NULL.
    mutating func blob(_ value: Data) {
        index += 1
        guard !value.isEmpty else { sqlite3_bind_null(statement, index); return }
        let index = index
        value.withUnsafeBytes { _ = sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), Self.transient) }
    }

    /// A field's value as its table column holds it: text, or integer (booleans as 0 and 1).
    mutating func value(_ value: FieldValue?) {
        guard let value else { integer(nil); return }
        let (_, text, number) = ValueColumns.split(value)
        if let text { self.text(text) } else { integer(number) }
    }

    /// Runs the statement with the values bound since the last run, and resets it.
    mutating func run() throws {
        index = 0
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)))
        }
    }

    /// Runs a query with the values bound since the last run: its first row's first column
    /// as an integer, nil when it has no row. Resets the statement.
    mutating func integerResult() throws -> Int64? {
        index = 0
        let code = sqlite3_step(statement)
        defer { sqlite3_reset(statement) }
        switch code {
        case SQLITE_ROW: return sqlite3_column_int64(statement, 0)
        case SQLITE_DONE: return nil
        default: throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)))
        }
    }

    /// SQLITE_TRANSIENT: SQLite copies the bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

import FieldbookModel
import FieldbookReplica
import Foundation
import GRDB

/// The log's row as schema v1 to v13 stored it: every field of a change in its own column
/// (the value split into a type tag and a text or integer column, the supersedes list as
/// space-separated dots, the signature, link and hash as blobs). Schema v14 keeps changes in
/// segments (`SegmentStore`) and narrow rows (`ChangeRow`); this shape remains for the
/// migrations that read the rows of earlier versions, and for the benchmark's raw insert of
/// "today's row shape" (issue 33), which writes it to a table of its own.
package enum WideChangeRow {
    /// The columns, in the order `Decoder` reads them.
    static let columns = "site, counter, hlc, author, entity, kind, field, op, element, vtype, vtext, vint, supersedes, signature, prev, hash"

    /// The v10 table, site id as text: the benchmark's baseline.
    package static let benchmarkTable = """
        CREATE TABLE change_wide (
            seq INTEGER PRIMARY KEY, site TEXT NOT NULL, counter INTEGER NOT NULL CHECK (counter > 0), hlc INTEGER NOT NULL,
            author TEXT NOT NULL, entity TEXT NOT NULL, kind TEXT NOT NULL, field TEXT NOT NULL, op TEXT NOT NULL,
            element TEXT, vtype TEXT NOT NULL, vtext TEXT, vint INTEGER, supersedes TEXT, live INTEGER NOT NULL,
            signature BLOB, prev BLOB, hash BLOB, UNIQUE (site, counter));
        CREATE INDEX change_wide_by_entity ON change_wide(entity, live);
        """
    /// `INSERT INTO change_wide`, for `benchmarkTable`.
    package static let benchmarkInsert = "INSERT INTO change_wide (\(columns), live) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

    package static func arguments(_ change: Change, hash: Data, live: Bool) -> StatementArguments {
        let (tag, text, integer) = ValueColumns.split(change.value)
        let supersedes = change.supersedes.isEmpty ? nil : change.supersedes.map(\.description).joined(separator: " ")
        let element: String? = change.operation == .set ? nil : change.value.description
        return [change.dot.site.text, Int64(bitPattern: change.dot.counter), Int64(bitPattern: change.hlc.rawValue),
                change.author, change.entity.rawValue, change.kind.rawValue, change.field, change.operation.rawValue,
                element, tag, text, integer, supersedes, change.signature.isEmpty ? nil : change.signature,
                change.prev.isEmpty ? nil : change.prev, hash, live ? 1 : 0]
    }

    /// Schema v14's move: every wide row of `change`, in `seq` order, stored in segments of
    /// `SegmentStore.capacity` changes, and its narrow row (same `seq`, site number, live flag)
    /// written to `narrowTable`.
    static func packIntoSegments(narrowTable: String, in db: Database) throws {
        var decoder = try Decoder(db)
        let rows = try Row.fetchCursor(db, sql: "SELECT \(columns), seq, live FROM change ORDER BY seq")
        let insert = try db.makeStatement(sql: """
            INSERT INTO \(narrowTable) (seq, site, counter, hlc, author, entity, live, segment, position)
            VALUES (?, (SELECT id FROM site WHERE site = ?), ?, ?, ?, ?, ?, ?, ?)
            """)
        var pending: [(change: Change, seq: Int64, live: Int64)] = []
        func flush() throws {
            let placed = try SegmentStore.store(pending.map(\.change), in: db)
            for (entry, place) in zip(pending, placed) {
                let change = entry.change
                try insert.execute(arguments: [entry.seq, change.dot.site.text, Int64(bitPattern: change.dot.counter),
                                               Int64(bitPattern: change.hlc.rawValue), change.author, change.entity.rawValue,
                                               entry.live, place.segment, place.position])
            }
            pending.removeAll(keepingCapacity: true)
        }
        while let row = try rows.next() {
            pending.append((try decoder.change(row), row[16], row[17]))
            if pending.count == SegmentStore.capacity { try flush() }
        }
        try flush()
    }

    /// Reads changes from rows selected with `columns`. Site ids are parsed once each; each
    /// site's public key comes from `site_key`.
    struct Decoder {
        private var sites: [String: SiteID] = [:]
        private let keys: [String: Data]

        init(_ db: Database) throws {
            var keys: [String: Data] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT site, public_key FROM site_key") { keys[row["site"]] = row["public_key"] }
            self.keys = keys
        }

        private mutating func site(_ text: String) throws -> SiteID {
            if let known = sites[text] { return known }
            guard let site = SiteID(text) else { throw StoreError.invalid("The change log holds a damaged site id '\(text)'.") }
            sites[text] = site
            return site
        }

        /// Columns are read by position (`columns`' order).
        mutating func change(_ row: Row) throws -> Change {
            let siteText: String = row[0]
            let dot = Dot(site: try site(siteText), counter: UInt64(bitPattern: row[1]))
            guard let entity = EntityID(row[4] as String), let kind = EntityKind(rawValue: row[5]),
                  let operation = Operation(rawValue: row[7]),
                  let value = ValueColumns.value(tag: row[9], text: row[10], integer: row[11]) else {
                throw StoreError.invalid("The change log holds a damaged change \(dot).")
            }
            var supersedes: [Dot] = []
            if let list: String = row[12] {
                for part in list.split(separator: " ") {
                    guard let slash = part.lastIndex(of: "/"), let counter = UInt64(part[part.index(after: slash)...]) else {
                        throw StoreError.invalid("The change log holds a damaged change \(dot).")
                    }
                    supersedes.append(Dot(site: try site(String(part[..<slash])), counter: counter))
                }
            }
            return Change(dot: dot, hlc: HLCTimestamp(rawValue: UInt64(bitPattern: row[2])), author: row[3],
                          entity: entity, kind: kind, field: row[6], operation: operation, value: value,
                          supersedes: supersedes, publicKey: keys[siteText] ?? Data(),
                          signature: row[13] ?? Data(), prev: row[14] ?? Data())
        }
    }
}

/// A field value as two columns of a table: text, or integer (a flag as 0 or 1), beside its
/// type letter.
enum ValueColumns {
    static func split(_ value: FieldValue) -> (String, String?, Int64?) {
        switch value.payload {
        case .text(let s): (value.tag.letter, s, nil)
        case .integer(let n): (value.tag.letter, nil, n)
        case .flag(let b): (value.tag.letter, nil, b ? 1 : 0)
        }
    }

    static func value(tag: String, text: String?, integer: Int64?) -> FieldValue? {
        guard let tag = ValueTag(letter: tag) else { return nil }
        let payload: ValuePayload? = switch tag.payloadKind {
        case .text: text.map(ValuePayload.text)
        case .integer: integer.map(ValuePayload.integer)
        case .flag: integer.map { ValuePayload.flag($0 != 0) }
        }
        return payload.flatMap { FieldValue(tag: tag, payload: $0) }
    }
}

/// The benchmark's baseline insert: `WideChangeRow`'s row bound through SQLite's C API
/// (`BoundStatement`), one prepared statement, into `change_wide` (which the caller made from
/// `WideChangeRow.benchmarkTable`).
package struct WideRowInsert {
    private var statement: BoundStatement

    package init(_ db: Database) throws {
        statement = try BoundStatement(db, sql: WideChangeRow.benchmarkInsert)
    }

    /// Finalizes the statement; call once the transaction is done with it.
    package func finish() {
        statement.finish()
    }

    package mutating func insert(_ change: Change, hash: Data, live: Bool) throws {
        let (tag, valueText, valueInteger) = ValueColumns.split(change.value)
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

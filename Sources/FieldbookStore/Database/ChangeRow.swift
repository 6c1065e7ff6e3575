import FieldbookModel
import FieldbookReplica
import Foundation
import GRDB

/// How a change is laid out in the log: the value split into a type tag and a text or integer
/// column, the supersedes list as space-separated dots, the chain head's signature (or a legacy
/// change's own) as a blob, the history link (`prev`, NULL for a legacy change) and the change's
/// hash; the signing key is kept once per site in `site_key`. No JSON per row, so applying and
/// reading stay fast. Rows are written to `change_row`, which names its site by number (`site`
/// holds each site id once, schema v12); they are read through the view `change`, whose columns
/// are the wide table's of earlier versions, site id text included.
package enum ChangeRow {
    static let columns = "\(stateColumns), signature, prev, hash"
    /// What materialising state needs of a change: not its signature, link or hash.
    static let stateColumns = "site, counter, hlc, author, entity, kind, field, op, element, vtype, vtext, vint, supersedes"
    /// `INSERT INTO change_row (columns, live) VALUES` and its placeholders; `site` is the
    /// site's number in `site` (`ChangeInsert` finds or adds it).
    static let insert = "INSERT INTO change_row (\(columns), live) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    /// The condition selecting one held row of `change_row` by site id text and counter.
    static let rowByDot = "site = (SELECT id FROM site WHERE site = ?) AND counter = ?"

    /// Deletes a site's rows after `counter` (re-key's and revocation's withdrawals).
    static func deleteBeyond(_ counter: UInt64, of site: SiteID, in db: Database) throws {
        try db.execute(sql: "DELETE FROM change_row WHERE site = (SELECT id FROM site WHERE site = ?) AND counter > ?",
                       arguments: [site.text, Int64(bitPattern: counter)])
    }
    /// The log's row as schema v1 to v10 stored it (site id as text, in `change`): the
    /// benchmark's raw insert of "today's row shape" (issue 33) writes it to a table of its own.
    package static let wideTable = """
        CREATE TABLE change_wide (
            seq INTEGER PRIMARY KEY, site TEXT NOT NULL, counter INTEGER NOT NULL CHECK (counter > 0), hlc INTEGER NOT NULL,
            author TEXT NOT NULL, entity TEXT NOT NULL, kind TEXT NOT NULL, field TEXT NOT NULL, op TEXT NOT NULL,
            element TEXT, vtype TEXT NOT NULL, vtext TEXT, vint INTEGER, supersedes TEXT, live INTEGER NOT NULL,
            signature BLOB, prev BLOB, hash BLOB, UNIQUE (site, counter));
        CREATE INDEX change_wide_by_entity ON change_wide(entity, live);
        """
    /// `INSERT INTO change_wide`, for `wideTable`.
    package static let wideInsert = "INSERT INTO change_wide (\(columns), live) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

    package static func arguments(_ change: Change, hash: Data, live: Bool) -> StatementArguments {
        let (tag, text, integer) = split(change.value)
        let supersedes = change.supersedes.isEmpty ? nil : change.supersedes.map(\.description).joined(separator: " ")
        let element: String? = change.operation == .set ? nil : change.value.description
        return [change.dot.site.text, Int64(bitPattern: change.dot.counter), Int64(bitPattern: change.hlc.rawValue),
                change.author, change.entity.rawValue, change.kind.rawValue, change.field, change.operation.rawValue,
                element, tag, text, integer, supersedes, change.signature.isEmpty ? nil : change.signature,
                change.prev.isEmpty ? nil : change.prev, hash, live ? 1 : 0]
    }

    /// The `vtype`, `vtext` and `vint` columns of a value (a flag is stored as 0 or 1).
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

    /// Reads changes from rows selected with `columns` first. Site ids are parsed once each;
    /// each site's public key comes from `site_key`.
    struct Decoder {
        private var sites: [String: SiteID] = [:]
        private let keys: [String: Data]

        init(_ db: Database) throws {
            var keys: [String: Data] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT site, public_key FROM site_key") { keys[row["site"]] = row["public_key"] }
            self.keys = keys
        }

        mutating func site(_ text: String) throws -> SiteID {
            if let known = sites[text] { return known }
            guard let site = SiteID(text) else { throw StoreError.invalid("The change log holds a damaged site id '\(text)'.") }
            sites[text] = site
            return site
        }

        /// Columns are read by position (`columns`' order): a lookup by name costs a
        /// case-insensitive search per column per row. Rows selected with `stateColumns` only
        /// give a change without its signature and link, enough to materialise state.
        mutating func change(_ row: Row) throws -> Change {
            let siteText: String = row[0]
            let dot = Dot(site: try site(siteText), counter: UInt64(bitPattern: row[1]))
            guard let entity = EntityID(row[4] as String), let kind = EntityKind(rawValue: row[5]),
                  let operation = Operation(rawValue: row[7]),
                  let value = value(tag: row[9], text: row[10], integer: row[11]) else {
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
            let proven = row.count > 13
            return Change(dot: dot, hlc: HLCTimestamp(rawValue: UInt64(bitPattern: row[2])), author: row[3],
                          entity: entity, kind: kind, field: row[6], operation: operation, value: value,
                          supersedes: supersedes, publicKey: proven ? keys[siteText] ?? Data() : Data(),
                          signature: proven ? row[13] ?? Data() : Data(), prev: proven ? row[14] ?? Data() : Data())
        }

        private func value(tag: String, text: String?, integer: Int64?) -> FieldValue? {
            ChangeRow.value(tag: tag, text: text, integer: integer)
        }
    }

    /// Fetches changes for a SQL query selecting from `change`.
    static func fetch(_ db: Database, where condition: String = "1", arguments: StatementArguments = [],
                      order: String = "hlc, site, counter") throws -> [Change] {
        var decoder = try Decoder(db)
        let statement = try db.cachedStatement(sql: "SELECT \(columns) FROM change WHERE \(condition) ORDER BY \(order)")
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        var result: [Change] = []
        while let row = try rows.next() { result.append(try decoder.change(row)) }
        return result
    }
}

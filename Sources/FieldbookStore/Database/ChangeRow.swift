import FieldbookModel
import FieldbookReplica
import Foundation
import GRDB

/// A change's row in the log (schema v14): what queries filter and order on (its site by
/// number, counter, HLC, author, entity and whether it is live) and where its content is
/// (`segment` and `position` in `SegmentStore`). `site` holds each site id once; the view
/// `change` names the site by its id text, so queries by site, entity or author read as before.
package enum ChangeRow {
    /// What a reader selects from `change` to read changes (`Reader` reads them by position).
    static let locator = "site, counter, segment, position"
    /// `INSERT INTO change_row`; `site` is the site's number in `site` (`ChangeInsert` finds or adds it).
    static let insert = "INSERT INTO change_row (site, counter, hlc, author, entity, live, segment, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    /// The condition selecting one held row of `change_row` by site id text and counter.
    static let rowByDot = "site = (SELECT id FROM site WHERE site = ?) AND counter = ?"

    /// Deletes a site's rows after `counter` (re-key's and revocation's withdrawals), the
    /// segments left holding none of the log's changes, and moves the site's head back.
    static func deleteBeyond(_ counter: UInt64, of site: SiteID, in db: Database) throws {
        try db.execute(sql: "DELETE FROM change_row WHERE site = (SELECT id FROM site WHERE site = ?) AND counter > ?",
                       arguments: [site.text, Int64(bitPattern: counter)])
        try SegmentStore.deleteUnreferenced(in: db)
        try SiteHead.recompute(site, in: db)
    }

    /// Reads changes from rows selected with `locator` first: site ids parsed once each, each
    /// segment decoded once.
    struct Reader {
        private var sites: [String: SiteID] = [:]
        private(set) var segments: SegmentCache

        init(_ db: Database) throws {
            segments = try SegmentCache(db)
        }

        mutating func site(_ text: String) throws -> SiteID {
            if let known = sites[text] { return known }
            guard let site = SiteID(text) else { throw StoreError.invalid("The change log holds a damaged site id '\(text)'.") }
            sites[text] = site
            return site
        }

        /// The change a row selected with `locator` names; its dot is checked against the row.
        mutating func change(_ row: Row) throws -> Change {
            let dot = Dot(site: try site(row[0]), counter: UInt64(bitPattern: row[1]))
            let found = try segments.change(row[2], row[3])
            guard found.dot == dot else {
                throw StoreError.invalid("The change log's row for \(dot) names a segment holding \(found.dot); the workspace file is damaged.")
            }
            return found
        }

        /// The change and its hash (computed: segments keep content and links, not hashes).
        mutating func entry(_ row: Row) throws -> (change: Change, hash: Data) {
            let found = try change(row)
            return (found, ChangeHash.of(found))
        }

        /// The live changes of `entity`, in the order they were stored.
        mutating func liveChanges(of entity: EntityID, in db: Database) throws -> [Change] {
            let statement = try db.cachedStatement(sql: "SELECT \(locator) FROM change WHERE entity = ? AND live = 1 ORDER BY seq")
            let rows = try Row.fetchCursor(statement, arguments: [entity.rawValue])
            var changes: [Change] = []
            while let row = try rows.next() { changes.append(try change(row)) }
            return changes
        }
    }

    /// Fetches changes for a SQL condition on `change`'s columns (seq, site, counter, hlc,
    /// author, entity, live).
    static func fetch(_ db: Database, where condition: String = "1", arguments: StatementArguments = [],
                      order: String = "hlc, site, counter") throws -> [Change] {
        var reader = try Reader(db)
        let statement = try db.cachedStatement(sql: "SELECT \(locator) FROM change WHERE \(condition) ORDER BY \(order)")
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        var result: [Change] = []
        while let row = try rows.next() { result.append(try reader.change(row)) }
        return result
    }
}

import FieldbookReplica
import Foundation
import GRDB

/// Each site's newest held change (its highest counter) with its hash and link, kept on the
/// site's row of `site`: what the receive path checks a page's first change against and a
/// local write chains to, without decoding the segment holding it.
enum SiteHead {
    struct Link {
        let counter: UInt64
        let hash: Data
        let prev: Data
    }

    static func of(_ site: SiteID, in db: Database) throws -> Link? {
        let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT head, head_hash, head_prev FROM site WHERE site = ?"), arguments: [site.text])
        guard let row, let counter: Int64 = row[0] else { return nil }
        return Link(counter: UInt64(bitPattern: counter), hash: row[1] ?? Data(), prev: row[2] ?? Data())
    }

    /// Moves each site's head to `heads[site]` where that is newer (by number in `site`).
    static func advance(_ heads: [Int64: Link], in db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            UPDATE site SET head = ?, head_hash = ?, head_prev = ? WHERE id = ? AND (head IS NULL OR head < ?)
            """)
        for (number, link) in heads {
            let counter = Int64(bitPattern: link.counter)
            try statement.execute(arguments: [counter, link.hash, link.prev.isEmpty ? nil : link.prev, number, counter])
        }
    }

    /// Sets the site's head from its highest held change (none: no head).
    static func recompute(_ site: SiteID, in db: Database) throws {
        var reader = try ChangeRow.Reader(db)
        let row = try Row.fetchOne(db, sql: "SELECT \(ChangeRow.locator) FROM change WHERE site = ? ORDER BY counter DESC LIMIT 1",
                                   arguments: [site.text])
        if let row {
            let (change, hash) = try reader.entry(row)
            try db.execute(sql: "UPDATE site SET head = ?, head_hash = ?, head_prev = ? WHERE site = ?",
                           arguments: [Int64(bitPattern: change.dot.counter), hash, change.prev.isEmpty ? nil : change.prev, site.text])
        } else {
            try db.execute(sql: "UPDATE site SET head = NULL, head_hash = NULL, head_prev = NULL WHERE site = ?", arguments: [site.text])
        }
    }

    /// The hash of a held change: its site's head's, or read from its segment.
    static func hash(of dot: Dot, in db: Database) throws -> Data? {
        if let head = try of(dot.site, in: db), head.counter == dot.counter { return head.hash }
        var reader = try ChangeRow.Reader(db)
        let row = try Row.fetchOne(db, sql: "SELECT \(ChangeRow.locator) FROM change WHERE site = ? AND counter = ?",
                                   arguments: [dot.site.text, Int64(bitPattern: dot.counter)])
        return try row.map { try reader.entry($0).hash }
    }
}

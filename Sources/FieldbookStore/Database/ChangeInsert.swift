import FieldbookReplica
import Foundation
import GRDB

/// The log's insert, the apply path's hottest statement, bound through SQLite's C API
/// (`BoundStatement`): a narrow row into `change_row` with the site's number (read or added
/// once per site and batch) and where the change's segment holds it. It notes each site's
/// newest change of the batch, to move the site's head (`SiteHead`) once per batch.
struct ChangeInsert {
    private var statement: BoundStatement
    private var siteNumbers: [SiteID: Int64] = [:]
    private var findSite: BoundStatement
    private var addSite: BoundStatement
    private var heads: [Int64: SiteHead.Link] = [:]
    private let db: Database

    init(_ db: Database) throws {
        self.db = db
        statement = try BoundStatement(db, sql: ChangeRow.insert)
        findSite = try BoundStatement(db, sql: "SELECT id FROM site WHERE site = ?")
        addSite = try BoundStatement(db, sql: "INSERT INTO site (site) VALUES (?)")
    }

    /// Finalizes the statements; call once the transaction is done with them.
    func finish() {
        statement.finish()
        findSite.finish()
        addSite.finish()
    }

    mutating func insert(_ change: Change, hash: Data, live: Bool, segment: Int64, position: Int) throws {
        let site = try number(of: change.dot.site)
        statement.integer(site)
        statement.integer(Int64(bitPattern: change.dot.counter))
        statement.integer(Int64(bitPattern: change.hlc.rawValue))
        statement.text(change.author)
        statement.text(change.entity.rawValue)
        statement.integer(live ? 1 : 0)
        statement.integer(segment)
        statement.integer(Int64(position))
        try statement.run()
        if (heads[site]?.counter ?? 0) < change.dot.counter {
            heads[site] = SiteHead.Link(counter: change.dot.counter, hash: hash, prev: change.prev)
        }
    }

    /// Moves the heads of the sites whose changes were inserted.
    mutating func advanceHeads() throws {
        try SiteHead.advance(heads, in: db)
        heads.removeAll()
    }

    /// The site's number in `site`, added the first time the log holds one of its changes.
    private mutating func number(of site: SiteID) throws -> Int64 {
        if let known = siteNumbers[site] { return known }
        findSite.text(site.text)
        let number = try findSite.integerResult() ?? {
            addSite.text(site.text)
            try addSite.run()
            return db.lastInsertedRowID
        }()
        siteNumbers[site] = number
        return number
    }
}

import FieldbookReplica
import Foundation
import GRDB

/// The log's insert, the apply path's hottest statement, bound through SQLite's C API
/// (`BoundStatement`): into `change_row` with the site's number (read or added once per site
/// and batch), or, for the benchmark's baseline, into the wide row shape of schema v10
/// (`ChangeRow.wideTable`) with the site id as text. Both bind the same values the same way.
package struct ChangeInsert {
    private var statement: BoundStatement
    private let wide: Bool
    private var siteNumbers: [SiteID: Int64] = [:]
    private let findSite: BoundStatement?
    private let addSite: BoundStatement?
    private let db: Database

    package init(_ db: Database) throws {
        self.db = db
        statement = try BoundStatement(db, sql: ChangeRow.insert)
        wide = false
        findSite = try BoundStatement(db, sql: "SELECT id FROM site WHERE site = ?")
        addSite = try BoundStatement(db, sql: "INSERT INTO site (site) VALUES (?)")
    }

    /// Inserts into `change_wide` (which the caller made from `ChangeRow.wideTable`).
    package init(wideRowsOf db: Database) throws {
        self.db = db
        statement = try BoundStatement(db, sql: ChangeRow.wideInsert)
        wide = true
        findSite = nil
        addSite = nil
    }

    /// Finalizes the statements; call once the transaction is done with them.
    package func finish() {
        statement.finish()
        findSite?.finish()
        addSite?.finish()
    }

    package mutating func insert(_ change: Change, hash: Data, live: Bool) throws {
        let (tag, valueText, valueInteger) = ChangeRow.split(change.value)
        if wide {
            statement.text(change.dot.site.text)
        } else {
            statement.integer(try number(of: change.dot.site))
        }
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

    /// The site's number in `site`, added the first time the log holds one of its changes.
    private mutating func number(of site: SiteID) throws -> Int64 {
        if let known = siteNumbers[site] { return known }
        guard var findSite, var addSite else { throw StoreError.invalid("The wide row shape has no site numbers.") }
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

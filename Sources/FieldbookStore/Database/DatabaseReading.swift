import FieldbookModel
import FieldbookReplica
import GRDB

/// The writer's view of current state, read from the live rows of the change log, so a
/// local edit supersedes exactly what its author could see.
struct DatabaseReading: ReplicaReading {
    let db: Database

    func liveDots(_ key: RegisterKey) throws -> [Dot] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT site, counter FROM change
            WHERE entity = ? AND live = 1 AND field = ? AND element IS ?
            """, arguments: [key.entity.rawValue, key.field, key.element])
        return try dots(rows)
    }

    func frontier(of entity: EntityID) throws -> [Dot] {
        try dots(Row.fetchAll(db, sql: "SELECT site, counter FROM change WHERE entity = ? AND live = 1", arguments: [entity.rawValue]))
    }

    private func dots(_ rows: [Row]) throws -> [Dot] {
        var decoder = try ChangeRow.Decoder(db)
        return try rows.map { Dot(site: try decoder.site($0["site"]), counter: UInt64(bitPattern: $0["counter"])) }.sorted()
    }
}

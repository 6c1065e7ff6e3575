import FieldbookModel
import FieldbookReplica
import GRDB

/// The writer's view of current state, read from the live rows of the change log, so a
/// local edit supersedes exactly what its author could see.
struct DatabaseReading: ReplicaReading {
    let db: Database

    func liveDots(_ key: RegisterKey) throws -> [Dot] {
        var reader = try ChangeRow.Reader(db)
        return try reader.liveChanges(of: key.entity, in: db).filter { $0.registerKey == key }.map(\.dot).sorted()
    }

    func frontier(of entity: EntityID) throws -> [Dot] {
        var reader = try ChangeRow.Reader(db)
        return try Row.fetchAll(db, sql: "SELECT site, counter FROM change WHERE entity = ? AND live = 1", arguments: [entity.rawValue])
            .map { Dot(site: try reader.site($0["site"]), counter: UInt64(bitPattern: $0["counter"])) }.sorted()
    }
}

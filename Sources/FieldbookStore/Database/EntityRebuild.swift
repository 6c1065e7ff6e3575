import FieldbookModel
import FieldbookReplica
import GRDB

/// Rebuilds entities from the changes the log still holds, after changes left it (a re-key
/// takes back this site's unsynced work to write it again under a new key): which changes are
/// live is worked out again from every held change's `supersedes` (a change is dead when a
/// held change of its register superseded it, and a link's remove never is), then each
/// entity's rows are written anew as for an entity first seen (`Materializer`). Inside the
/// caller's transaction.
struct EntityRebuild {
    let db: Database

    func rebuild(_ entities: Set<EntityID>) throws {
        var reader = try ChangeRow.Reader(db)
        let all = try db.cachedStatement(sql: "SELECT \(ChangeRow.locator) FROM change WHERE entity = ? ORDER BY seq")
        let setLive = try db.cachedStatement(sql: "UPDATE change_row SET live = ? WHERE \(ChangeRow.rowByDot)")
        var materializer = try Materializer(db)
        defer { materializer.finish() }
        for entity in entities.sorted(by: { $0.rawValue < $1.rawValue }) {
            var changes: [Change] = []
            let rows = try Row.fetchCursor(all, arguments: [entity.rawValue])
            while let row = try rows.next() { changes.append(try reader.change(row)) }
            let kind = try String.fetchOne(db, sql: "SELECT kind FROM entity WHERE id = ?", arguments: [entity.rawValue]).flatMap(EntityKind.init)
            for table in ["link", "conflict"] { try db.execute(sql: "DELETE FROM \(table) WHERE entity = ?", arguments: [entity.rawValue]) }
            if let kind { try db.execute(sql: "DELETE FROM \(kind.rawValue) WHERE id = ?", arguments: [entity.rawValue]) }
            try db.execute(sql: "DELETE FROM entity WHERE id = ?", arguments: [entity.rawValue])
            guard !changes.isEmpty else { continue }
            var superseded: Set<Dot> = []
            let register = Dictionary(changes.map { ($0.dot, $0.registerKey) }, uniquingKeysWith: { first, _ in first })
            for change in changes {
                for dot in change.supersedes where register[dot] == change.registerKey { superseded.insert(dot) }
            }
            let live = changes.map { $0.operation != .remove && !superseded.contains($0.dot) }
            for (change, isLive) in zip(changes, live) {
                try setLive.execute(arguments: [isLive ? 1 : 0, change.dot.site.text, Int64(bitPattern: change.dot.counter)])
            }
            try materializer.refresh(changes, live: live)
        }
    }
}

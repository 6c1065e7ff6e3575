import FieldbookModel
import FieldbookReplica
import GRDB

/// Applies changes to the log incrementally inside the caller's transaction: insert each
/// new change, mark what it supersedes as no longer live, then re-materialise only the
/// entities the batch touched. Never a replay of the whole log.
struct ChangeApplier {
    let db: Database

    struct Outcome {
        var fresh: [Change] = []
        var duplicates = 0
        var touched: Set<EntityID> = []
    }

    /// Validates the whole batch first, then applies it. The caller's transaction makes it
    /// all or nothing.
    func apply(_ batch: [Change]) throws -> Outcome {
        var kinds: [EntityID: EntityKind?] = [:]
        let kindStatement = try db.cachedStatement(sql: "SELECT kind FROM entity WHERE id = ?")
        do {
            try ChangeValidation.validate(batch, knownKind: { id in
                if let known = kinds[id] { return known }
                let kind = (try? String.fetchOne(kindStatement, arguments: [id.rawValue])).flatMap { $0.flatMap(EntityKind.init) }
                kinds[id] = kind
                return kind
            }, knownChange: { _ in nil })
        } catch {
            throw StoreError.refused(error)
        }
        var outcome = Outcome()
        // Each site's key and author, once: reading the log back restores the keys.
        let registerKey = try db.cachedStatement(sql: "INSERT INTO site_key (site, public_key, author) VALUES (?, ?, ?) ON CONFLICT (site) DO NOTHING")
        var registered = Set<SiteID>()
        for change in batch where !change.publicKey.isEmpty && registered.insert(change.dot.site).inserted {
            try registerKey.execute(arguments: [change.dot.site.text, change.publicKey, change.author])
        }
        let insert = try db.cachedStatement(sql: """
            \(ChangeRow.insert)
            ON CONFLICT (site, counter) DO NOTHING
            """)
        // Supersession acts within one register (entity, field, link element), exactly as
        // in the pure core: a tombstone lists every live dot it saw, but only marks the
        // values of its own `deleted` register as replaced.
        let supersede = try db.cachedStatement(sql: """
            UPDATE change SET live = 0 WHERE site = ? AND counter = ? AND entity = ? AND field = ? AND element IS ?
            """)
        let known = try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM change WHERE site = ? AND counter = ?)")
        let remember = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO pending_supersession (site, counter, entity, field, element) VALUES (?, ?, ?, ?, ?)
            """)
        let pendingFor = try db.cachedStatement(sql: "SELECT entity, field, element FROM pending_supersession WHERE site = ? AND counter = ?")
        let claim = try db.cachedStatement(sql: "DELETE FROM pending_supersession WHERE site = ? AND counter = ?")
        var pendingExists = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM pending_supersession)") ?? false

        let present = try existing(batch)
        var seenInBatch = Set<Dot>()
        for change in batch {
            if let stored = present[change.dot] {
                guard stored == change else { throw StoreError.refused(.dotReused(change.dot)) }
                outcome.duplicates += 1
                continue
            }
            guard seenInBatch.insert(change.dot).inserted else { outcome.duplicates += 1; continue }
            let key = change.registerKey
            let dotArguments: StatementArguments = [change.dot.site.text, Int64(bitPattern: change.dot.counter)]
            // Superseded in its register before it arrived (out-of-order delivery)?
            var live = change.operation != .remove
            if pendingExists {
                let waiting = try Row.fetchAll(pendingFor, arguments: dotArguments)
                if !waiting.isEmpty {
                    if waiting.contains(where: { $0["entity"] == key.entity.rawValue && $0["field"] == key.field
                        && ($0["element"] as String) == (key.element ?? "") }) {
                        live = false
                    }
                    try claim.execute(arguments: dotArguments)
                }
            }
            try insert.execute(arguments: ChangeRow.arguments(change, live: live))
            guard db.changesCount > 0 else {
                try checkDuplicate(change)
                outcome.duplicates += 1
                continue
            }
            for dot in change.supersedes {
                let dotArguments: StatementArguments = [dot.site.text, Int64(bitPattern: dot.counter)]
                try supersede.execute(arguments: dotArguments + [key.entity.rawValue, key.field, key.element])
                if db.changesCount == 0, try Bool.fetchOne(known, arguments: dotArguments) == false {
                    try remember.execute(arguments: dotArguments + [key.entity.rawValue, key.field, key.element ?? ""])
                    pendingExists = true
                }
            }
            outcome.fresh.append(change)
            outcome.touched.insert(change.entity)
        }
        try Materializer(db: db).refresh(outcome.fresh)
        return outcome
    }

    /// The changes of the batch already in the log, read in one range query per site.
    private func existing(_ batch: [Change]) throws -> [Dot: Change] {
        var ranges: [SiteID: ClosedRange<UInt64>] = [:]
        for change in batch {
            let counter = change.dot.counter
            ranges[change.dot.site] = ranges[change.dot.site].map { min($0.lowerBound, counter)...max($0.upperBound, counter) } ?? counter...counter
        }
        let wanted = Set(batch.map(\.dot))
        var found: [Dot: Change] = [:]
        for (site, range) in ranges {
            for change in try ChangeRow.fetch(db, where: "site = ? AND counter BETWEEN ? AND ?",
                                              arguments: [site.text, Int64(bitPattern: range.lowerBound), Int64(bitPattern: range.upperBound)],
                                              order: "counter") where wanted.contains(change.dot) {
                found[change.dot] = change
            }
        }
        return found
    }

    /// A dot already in the log must carry the very same change.
    private func checkDuplicate(_ change: Change) throws {
        let existing = try ChangeRow.fetch(db, where: "site = ? AND counter = ?",
                                           arguments: [change.dot.site.text, Int64(bitPattern: change.dot.counter)])
        guard existing.first == change else { throw StoreError.refused(.dotReused(change.dot)) }
    }
}

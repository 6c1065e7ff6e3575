import FieldbookModel
import FieldbookReplica
import Foundation
import GRDB

/// `SyncLog` on SQLite: one GRDB transaction's `Database`. Every answer is synchronous, on
/// GRDB's thread (`SQLiteServerStorage` runs the steps there); statements that run once per
/// site, entity or change are prepared once.
struct SQLiteSyncLog: SyncLog {
    let db: Database
    let engagement: String

    /// SQLite has one writer: the write transaction itself keeps pushes apart.
    func lockEngagement() throws -> Bool { try engagementExists() }

    func engagementExists() throws -> Bool { try SQLiteServerStorage.exists(db, engagement) }

    func heldLinks(in ranges: [SiteID: ClosedRange<UInt64>]) throws -> [SiteID: [UInt64: HeldLink]] {
        let held = try db.cachedStatement(sql: "SELECT counter, hash, prev FROM change WHERE engagement = ? AND site = ? AND counter BETWEEN ? AND ?")
        var links: [SiteID: [UInt64: HeldLink]] = [:]
        for (site, range) in ranges {
            var siteLinks: [UInt64: HeldLink] = [:]
            for row in try Row.fetchAll(held, arguments: [engagement, site.text, Int64(range.lowerBound), Int64(range.upperBound)]) {
                siteLinks[UInt64(row[0] as Int64)] = HeldLink(hash: row[1], prev: row[2] ?? Data())
            }
            links[site] = siteLinks
        }
        return links
    }

    func keys(of sites: [SiteID]) throws -> [SiteID: Data] {
        try perSite(sites, "SELECT public_key FROM site_key WHERE engagement = ? AND site = ?")
    }

    func bindings(of sites: [SiteID]) throws -> [SiteID: String] {
        try perSite(sites, "SELECT assessor FROM site_binding WHERE engagement = ? AND site = ?")
    }

    /// One value per site that has one: `sql` takes the engagement and the site.
    private func perSite<Value: DatabaseValueConvertible>(_ sites: [SiteID], _ sql: String) throws -> [SiteID: Value] {
        let statement = try db.cachedStatement(sql: sql)
        var values: [SiteID: Value] = [:]
        for site in sites { values[site] = try Value.fetchOne(statement, arguments: [engagement, site.text]) }
        return values
    }

    func kinds(of entities: Set<EntityID>) throws -> [EntityID: EntityKind] {
        // Named index: without statistics SQLite plans this on the primary key's engagement
        // prefix, a scan of the engagement's whole history for every entity.
        let kindOf = try db.cachedStatement(sql: "SELECT kind FROM change INDEXED BY change_by_entity WHERE engagement = ? AND entity = ? LIMIT 1")
        var kinds: [EntityID: EntityKind] = [:]
        for entity in entities {
            kinds[entity] = try String.fetchOne(kindOf, arguments: [engagement, entity.rawValue]).flatMap(EntityKind.init)
        }
        return kinds
    }

    func bind(_ bindings: [SiteID: String]) throws {
        for (site, assessor) in bindings {
            try db.execute(sql: "INSERT INTO site_binding (engagement, site, assessor) VALUES (?, ?, ?)",
                           arguments: [engagement, site.text, assessor])
        }
    }

    func storeKeys(_ keys: [SiteID: Data]) throws {
        for (site, publicKey) in keys {
            try db.execute(sql: "INSERT OR IGNORE INTO site_key (engagement, site, public_key) VALUES (?, ?, ?)",
                           arguments: [engagement, site.text, publicKey])
        }
    }

    func append(_ segment: NewSegment) throws {
        try db.execute(sql: "INSERT INTO segment (engagement, payload, count) VALUES (?, ?, ?)",
                       arguments: [engagement, segment.payload, segment.count])
        let seq = db.lastInsertedRowID
        for (site, span) in segment.spans {
            try db.execute(sql: "INSERT INTO segment_site (segment, engagement, site, low, high) VALUES (?, ?, ?, ?, ?)",
                           arguments: [seq, engagement, site.text, Int64(span.lowerBound), Int64(span.upperBound)])
        }
        let insert = try db.cachedStatement(sql: """
            INSERT INTO change (engagement, site, counter, entity, kind, segment, hash, prev) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (change, hash) in zip(segment.changes, segment.hashes) {
            try insert.execute(arguments: [engagement, change.dot.site.text, Int64(bitPattern: change.dot.counter),
                                           change.entity.rawValue, change.kind.rawValue, seq, hash,
                                           change.prev.isEmpty ? nil : change.prev])
        }
    }

    func segments(after: Int64, lackedBy vector: VersionVector, limit: Int) throws -> [(seq: Int64, count: Int)] {
        var arguments: StatementArguments = []
        let held = vector.entries.map { site, entry in
            arguments += [site.text, Int64(bitPattern: entry.contiguous)]
            return "(?, ?)"
        }
        let heldTable = held.isEmpty ? "SELECT NULL AS site, 0 AS upto WHERE 0" : "VALUES \(held.joined(separator: ", "))"
        arguments += [engagement, after, limit]
        return try Row.fetchAll(db, sql: """
            WITH held(site, upto) AS (\(heldTable))
            SELECT s.seq, s.count FROM segment s
            WHERE s.seq IN (
                SELECT x.segment FROM segment_site x LEFT JOIN held h ON h.site = x.site
                WHERE x.engagement = ? AND x.segment > ? AND x.high > coalesce(h.upto, 0))
            ORDER BY s.seq LIMIT ?
            """, arguments: arguments).map { (seq: $0[0] as Int64, count: $0[1] as Int) }
    }

    func payloads(at positions: [Int64]) throws -> [(payload: Data, count: Int)] {
        let payload = try db.cachedStatement(sql: "SELECT payload, count FROM segment WHERE seq = ?")
        return try positions.compactMap { seq in
            try Row.fetchOne(payload, arguments: [seq]).map { (payload: $0[0] as Data, count: $0[1] as Int) }
        }
    }

    func siteSummaries() throws -> [(site: String, count: Int64, high: Int64)] {
        try Row.fetchAll(db, sql: "SELECT site, COUNT(*), MAX(counter) FROM change WHERE engagement = ? GROUP BY site",
                         arguments: [engagement]).map { (site: $0[0] as String, count: $0[1] as Int64, high: $0[2] as Int64) }
    }

    func counters(of site: String) throws -> [Int64] {
        try Int64.fetchAll(db, sql: "SELECT counter FROM change WHERE engagement = ? AND site = ? ORDER BY counter", arguments: [engagement, site])
    }

    func engagementKey(create: Bool) throws -> EngagementKeyRow? {
        let select = "SELECT private_key, last_hlc FROM engagement_key WHERE engagement = ?"
        if let row = try Row.fetchOne(db, sql: select, arguments: [engagement]) {
            return EngagementKeyRow(privateKey: row[0], lastHLC: UInt64(bitPattern: row[1]))
        }
        guard create else { return nil }
        try db.execute(sql: "INSERT INTO engagement_key (engagement, private_key, last_hlc) VALUES (?, ?, 0)",
                       arguments: [engagement, ChangeSigner().rawRepresentation])
        return try engagementKey(create: false)
    }

    func revocationRows() throws -> [RevocationRow] {
        try Row.fetchAll(db, sql: """
            SELECT site, last_valid, hlc, last_valid_counter, hash_counter, reason_counter, revoked FROM revocation WHERE engagement = ? ORDER BY site
            """, arguments: [engagement]).compactMap { row in
            guard let site = SiteID(row[0] as String) else { return nil }
            return RevocationRow(site: site, lastValid: UInt64(bitPattern: row[1]), hlc: UInt64(bitPattern: row[2]),
                                 lastValidCounter: UInt64(bitPattern: row[3]), hashCounter: (row[4] as Int64?).map { UInt64(bitPattern: $0) },
                                 reasonCounter: (row[5] as Int64?).map { UInt64(bitPattern: $0) }, revokedAt: UInt64(bitPattern: row[6]))
        }
    }

    func storeRevocation(_ row: RevocationRow, keyClock: UInt64) throws {
        try db.execute(sql: """
            INSERT INTO revocation (engagement, site, last_valid, hlc, last_valid_counter, hash_counter, reason_counter, revoked)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (engagement, site) DO UPDATE SET last_valid = excluded.last_valid, hlc = excluded.hlc,
                last_valid_counter = excluded.last_valid_counter, hash_counter = excluded.hash_counter,
                reason_counter = excluded.reason_counter, revoked = excluded.revoked
            """, arguments: [engagement, row.site.text, Int64(bitPattern: row.lastValid), Int64(bitPattern: row.hlc),
                             Int64(bitPattern: row.lastValidCounter), row.hashCounter.map { Int64(bitPattern: $0) }, row.reasonCounter.map { Int64(bitPattern: $0) }, Int64(bitPattern: row.revokedAt)])
        try db.execute(sql: "UPDATE engagement_key SET last_hlc = ? WHERE engagement = ?", arguments: [Int64(bitPattern: keyClock), engagement])
    }

    func revokeTokens(of assessor: String, now: UInt64) throws -> [String] {
        let ids = try String.fetchAll(db, sql: "SELECT id FROM token WHERE engagement = ? AND assessor = ? AND revoked IS NULL ORDER BY id",
                                      arguments: [engagement, assessor])
        try db.execute(sql: "UPDATE token SET revoked = ? WHERE engagement = ? AND assessor = ? AND revoked IS NULL",
                       arguments: [Int64(bitPattern: now), engagement, assessor])
        return ids
    }
}

import CSQLiteTuning
import FieldbookModel
import FieldbookReplica
import FieldbookWire
import Foundation
import GRDB

/// The server's storage on one SQLite file (WAL): what a small consultancy runs with
/// nothing else installed. The schema is in `SQLiteMigrations.swift`.
public final class SQLiteServerStorage: ServerStorage {
    let database: DatabasePool

    public init(path: String) throws {
        fieldbook_sqlite_tune()
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.label = "fieldbook.server"
        database = try DatabasePool(path: path, configuration: configuration)
        try Self.migrate(database, path: path)
    }

    public func createEngagement(id: String, name: String, now: UInt64) async throws -> EngagementInfo {
        try await database.write { db in
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM engagement WHERE id = ?)", arguments: [id]) == true {
                throw ServerError.engagementExists(id)
            }
            try db.execute(sql: "INSERT INTO engagement (id, name, created) VALUES (?, ?, ?)", arguments: [id, name, Int64(now)])
            return EngagementInfo(id: id, name: name)
        }
    }

    public func engagement(_ id: String) async throws -> EngagementInfo? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT id, name FROM engagement WHERE id = ?", arguments: [id])
                .map { EngagementInfo(id: $0["id"], name: $0["name"]) }
        }
    }

    public func engagements() async throws -> [EngagementInfo] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name FROM engagement ORDER BY created, id").map { EngagementInfo(id: $0["id"], name: $0["name"]) }
        }
    }

    public func createToken(assessor: String, engagement: String, publicKey: Data?, role: TokenRole, expires: UInt64?,
                            now: UInt64) async throws -> IssuedToken {
        let secret = TokenSecret.generate()
        let id = String(UUID().uuidString.lowercased().prefix(8))
        return try await database.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM engagement WHERE id = ?)", arguments: [engagement]) == true else {
                throw ServerError.unknownEngagement(engagement)
            }
            if let publicKey {
                let site = SiteID(publicKey: publicKey)
                if let owner = try String.fetchOne(db, sql: "SELECT assessor FROM site_binding WHERE engagement = ? AND site = ?",
                                                   arguments: [engagement, site.text]), owner != assessor {
                    throw ServerError.keyBound(assessor: owner, engagement: engagement)
                }
                try db.execute(sql: "INSERT OR IGNORE INTO site_binding (engagement, site, assessor) VALUES (?, ?, ?)",
                               arguments: [engagement, site.text, assessor])
            }
            try db.execute(sql: "INSERT INTO token (id, hash, assessor, engagement, role, created, expires) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [id, TokenSecret.hash(secret), assessor, engagement, role.rawValue, Int64(now), expires.map(Int64.init)])
            return IssuedToken(id: id, token: secret, assessor: assessor, engagement: engagement, role: role, expires: expires.map(TokenRecord.time))
        }
    }

    public func revokeToken(id: String, now: UInt64) async throws -> Bool {
        try await database.write { db in
            try db.execute(sql: "UPDATE token SET revoked = ? WHERE id = ? AND revoked IS NULL", arguments: [Int64(now), id])
            return db.changesCount > 0
        }
    }

    public func tokens() async throws -> [TokenRecord] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT \(TokenRecord.columns) FROM token ORDER BY created, id").map(Self.tokenRecord)
        }
    }

    public func token(hash: String) async throws -> TokenRecord? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT \(TokenRecord.columns) FROM token WHERE hash = ?", arguments: [hash]).map(Self.tokenRecord)
        }
    }

    static func tokenRecord(_ row: Row) -> TokenRecord {
        TokenRecord(id: row[0], assessor: row[1], engagement: row[2], role: row[3], created: row[4], revoked: row[5], expires: row[6])
    }

    public func push(_ batch: ReceivedBatch, engagement: String, pusher: String, now: UInt64, maximumSkewMilliseconds: UInt64) async throws -> PushResponse {
        try await database.write { db in
            guard try Self.exists(db, engagement) else { throw ServerError.unknownEngagement(engagement) }
            var lookups = PushLookups()
            let held = try db.cachedStatement(sql: "SELECT counter, hash, prev FROM change WHERE engagement = ? AND site = ? AND counter BETWEEN ? AND ?")
            let key = try db.cachedStatement(sql: "SELECT public_key FROM site_key WHERE engagement = ? AND site = ?")
            let binding = try db.cachedStatement(sql: "SELECT assessor FROM site_binding WHERE engagement = ? AND site = ?")
            for (site, range) in batch.ranges {
                var links: [UInt64: HeldLink] = [:]
                for row in try Row.fetchAll(held, arguments: [engagement, site.text, Int64(range.lowerBound), Int64(range.upperBound)]) {
                    links[UInt64(row[0] as Int64)] = HeldLink(hash: row[1], prev: row[2] ?? Data())
                }
                lookups.held[site] = links
                lookups.keys[site] = try Data.fetchOne(key, arguments: [engagement, site.text])
                lookups.bindings[site] = try String.fetchOne(binding, arguments: [engagement, site.text])
            }
            // Named index: without statistics SQLite plans this on the primary key's engagement
            // prefix, a scan of the engagement's whole history for every entity.
            let kindOf = try db.cachedStatement(sql: "SELECT kind FROM change INDEXED BY change_by_entity WHERE engagement = ? AND entity = ? LIMIT 1")
            for entity in Set(batch.changes.map(\.entity)) {
                lookups.kinds[entity] = try String.fetchOne(kindOf, arguments: [engagement, entity.rawValue]).flatMap(EntityKind.init)
            }
            let outcome = try PushValidation.validate(batch, pusher: pusher, now: now, maximumSkewMilliseconds: maximumSkewMilliseconds,
                                                      lookups: lookups)
            for (site, assessor) in outcome.bindings {
                try db.execute(sql: "INSERT INTO site_binding (engagement, site, assessor) VALUES (?, ?, ?)",
                               arguments: [engagement, site.text, assessor])
            }
            for (site, publicKey) in outcome.accepted.keys {
                try db.execute(sql: "INSERT OR IGNORE INTO site_key (engagement, site, public_key) VALUES (?, ?, ?)",
                               arguments: [engagement, site.text, publicKey])
            }
            let fresh = outcome.accepted.fresh
            if !fresh.isEmpty {
                try db.execute(sql: "INSERT INTO segment (engagement, payload, count) VALUES (?, ?, ?)",
                               arguments: [engagement, batch.bytes, batch.changes.count])
                let segment = db.lastInsertedRowID
                for (site, span) in batch.siteSpans {
                    try db.execute(sql: "INSERT INTO segment_site (segment, engagement, site, low, high) VALUES (?, ?, ?, ?, ?)",
                                   arguments: [segment, engagement, site.text, Int64(span.lowerBound), Int64(span.upperBound)])
                }
                let insert = try db.cachedStatement(sql: """
                    INSERT INTO change (engagement, site, counter, entity, kind, segment, hash, prev) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for (change, hash) in zip(fresh, outcome.accepted.hashes) {
                    try insert.execute(arguments: [engagement, change.dot.site.text, Int64(bitPattern: change.dot.counter),
                                                   change.entity.rawValue, change.kind.rawValue, segment, hash,
                                                   change.prev.isEmpty ? nil : change.prev])
                }
            }
            return PushResponse(received: batch.changes.count, applied: fresh.count, duplicates: batch.changes.count - fresh.count)
        }
    }

    public func pull(engagement: String, request: PullRequest) async throws -> PullPage {
        try await database.read { db in
            guard try Self.exists(db, engagement) else { throw ServerError.unknownEngagement(engagement) }
            let limit = max(1, min(request.limit, Wire.maximumBatchChanges))
            // The segments after the cursor holding a counter above what the client holds
            // without gaps, filtered in SQL against the client's vector.
            var arguments: StatementArguments = []
            let held = request.vector.entries.map { site, entry in
                arguments += [site.text, Int64(bitPattern: entry.contiguous)]
                return "(?, ?)"
            }
            let heldTable = held.isEmpty ? "SELECT NULL AS site, 0 AS upto WHERE 0" : "VALUES \(held.joined(separator: ", "))"
            arguments += [engagement, request.after, PullPaging.candidateLimit(limit)]
            let candidates = try Row.fetchAll(db, sql: """
                WITH held(site, upto) AS (\(heldTable))
                SELECT s.seq, s.count FROM segment s
                WHERE s.seq IN (
                    SELECT x.segment FROM segment_site x LEFT JOIN held h ON h.site = x.site
                    WHERE x.engagement = ? AND x.segment > ? AND x.high > coalesce(h.upto, 0))
                ORDER BY s.seq LIMIT ?
                """, arguments: arguments).map { (seq: $0[0] as Int64, count: $0[1] as Int) }
            let (chosen, more) = PullPaging.take(candidates, limit: limit)
            var segments: [Data] = []
            var count = 0
            let payload = try db.cachedStatement(sql: "SELECT payload, count FROM segment WHERE seq = ?")
            for seq in chosen {
                guard let row = try Row.fetchOne(payload, arguments: [seq]) else { continue }
                segments.append(row[0])
                count += row[1] as Int
            }
            return PullPage(segments: segments, count: count, next: more ? chosen.last : nil,
                            vector: more ? nil : try Self.vector(db, engagement))
        }
    }

    public func vector(engagement: String) async throws -> VersionVector {
        try await database.read { db in
            guard try Self.exists(db, engagement) else { throw ServerError.unknownEngagement(engagement) }
            return try Self.vector(db, engagement)
        }
    }

    static func exists(_ db: Database, _ engagement: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM engagement WHERE id = ?)", arguments: [engagement]) == true
    }

    /// One aggregate row per site with no gaps; only a site with gaps is read change by change.
    static func vector(_ db: Database, _ engagement: String) throws -> VersionVector {
        let rows = try Row.fetchAll(db, sql: "SELECT site, COUNT(*), MAX(counter) FROM change WHERE engagement = ? GROUP BY site",
                                    arguments: [engagement]).map { (site: $0[0] as String, count: $0[1] as Int64, high: $0[2] as Int64) }
        return try PullPaging.vector(rows) { site in
            try Int64.fetchAll(db, sql: "SELECT counter FROM change WHERE engagement = ? AND site = ? ORDER BY counter", arguments: [engagement, site])
        }
    }
}

import FieldbookModel
import FieldbookReplica
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// `SyncLog` on PostgreSQL: one transaction's connection, each question one set-based query
/// (arrays bound through `unnest` and `ANY`).
struct PostgresSyncLog: SyncLog {
    let connection: PostgresConnection
    let engagement: String
    let logger: Logger

    /// Locks the engagement's row until commit (see `PostgresServerStorage` on ordering).
    func lockEngagement() async throws -> Bool {
        try await PostgresServerStorage.lockEngagement(engagement, connection, logger)
    }

    func engagementExists() async throws -> Bool {
        try await connection.query("SELECT EXISTS (SELECT 1 FROM engagement WHERE id = \(engagement))", logger: logger)
            .decode(Bool.self).first(where: { _ in true }) ?? false
    }

    func heldLinks(in ranges: [SiteID: ClosedRange<UInt64>]) async throws -> [SiteID: [UInt64: HeldLink]] {
        let sites = ranges.keys.map(\.text)
        let lows = ranges.values.map { Int64($0.lowerBound) }, highs = ranges.values.map { Int64($0.upperBound) }
        var links: [SiteID: [UInt64: HeldLink]] = [:]
        for try await (site, counter, hash, prev) in try await connection.query("""
            SELECT c.site, c.counter, c.hash, c.prev FROM change c
            JOIN unnest(\(sites)::text[], \(lows)::bigint[], \(highs)::bigint[]) AS r(site, low, high)
              ON c.site = r.site AND c.counter BETWEEN r.low AND r.high
            WHERE c.engagement = \(engagement)
            """, logger: logger).decode((String, Int64, ByteBuffer, ByteBuffer?).self) {
            guard let site = SiteID(site) else { continue }
            links[site, default: [:]][UInt64(counter)] = HeldLink(hash: Data(buffer: hash), prev: prev.map { Data(buffer: $0) } ?? Data())
        }
        return links
    }

    func keys(of sites: [SiteID]) async throws -> [SiteID: Data] {
        try await perSite(ByteBuffer.self, """
            SELECT site, public_key FROM site_key WHERE engagement = \(engagement) AND site = ANY(\(sites.map(\.text)))
            """).mapValues { Data(buffer: $0) }
    }

    func bindings(of sites: [SiteID]) async throws -> [SiteID: String] {
        try await perSite(String.self, """
            SELECT site, assessor FROM site_binding WHERE engagement = \(engagement) AND site = ANY(\(sites.map(\.text)))
            """)
    }

    /// One value per site from `query`'s (site, value) rows.
    private func perSite<Value: PostgresDecodable & Sendable>(_: Value.Type, _ query: PostgresQuery) async throws -> [SiteID: Value] {
        var values: [SiteID: Value] = [:]
        for try await (site, value) in try await connection.query(query, logger: logger).decode((String, Value).self) {
            if let site = SiteID(site) { values[site] = value }
        }
        return values
    }

    func kinds(of entities: Set<EntityID>) async throws -> [EntityID: EntityKind] {
        var kinds: [EntityID: EntityKind] = [:]
        for try await (entity, kind) in try await connection.query("""
            SELECT DISTINCT ON (entity) entity, kind FROM change WHERE engagement = \(engagement) AND entity = ANY(\(entities.map(\.rawValue)))
            """, logger: logger).decode((String, String).self) {
            if let id = EntityID(entity) { kinds[id] = EntityKind(rawValue: kind) }
        }
        return kinds
    }

    func bind(_ bindings: [SiteID: String]) async throws {
        for (site, assessor) in bindings {
            try await connection.query("""
                INSERT INTO site_binding (engagement, site, assessor) VALUES (\(engagement), \(site.text), \(assessor))
                """, logger: logger)
        }
    }

    func storeKeys(_ keys: [SiteID: Data]) async throws {
        for (site, key) in keys {
            try await connection.query("""
                INSERT INTO site_key (engagement, site, public_key) VALUES (\(engagement), \(site.text), \(ByteBuffer(data: key)))
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
    }

    func append(_ segment: NewSegment) async throws {
        let seq = try await connection.query("""
            INSERT INTO segment (engagement, payload, count) VALUES (\(engagement), \(ByteBuffer(data: segment.payload)), \(segment.count))
            RETURNING seq
            """, logger: logger).decode(Int64.self).first(where: { _ in true }) ?? 0
        let spans = segment.spans
        try await connection.query("""
            INSERT INTO segment_site (segment, engagement, site, low, high)
            SELECT \(seq), \(engagement), site, low, high
            FROM unnest(\(spans.keys.map(\.text))::text[], \(spans.values.map { Int64($0.lowerBound) })::bigint[],
                        \(spans.values.map { Int64($0.upperBound) })::bigint[]) AS t(site, low, high)
            """, logger: logger)
        // An empty link marks a legacy change (arrays of optionals do not bind).
        let changes = segment.changes
        try await connection.query("""
            INSERT INTO change (engagement, site, counter, entity, kind, segment, hash, prev)
            SELECT \(engagement), site, counter, entity, kind, \(seq), hash, prev
            FROM unnest(\(changes.map(\.dot.site.text))::text[], \(changes.map { Int64(bitPattern: $0.dot.counter) })::bigint[],
                        \(changes.map(\.entity.rawValue))::text[], \(changes.map(\.kind.rawValue))::text[],
                        \(segment.hashes.map { ByteBuffer(data: $0) })::bytea[], \(changes.map { ByteBuffer(data: $0.prev) })::bytea[])
                 AS t(site, counter, entity, kind, hash, prev)
            """, logger: logger)
    }

    func segments(after: Int64, lackedBy vector: VersionVector, limit: Int) async throws -> [(seq: Int64, count: Int)] {
        let heldSites = vector.entries.keys.map(\.text)
        let heldUpTo = vector.entries.values.map { Int64(bitPattern: $0.contiguous) }
        var candidates: [(seq: Int64, count: Int)] = []
        for try await (seq, count) in try await connection.query("""
            SELECT s.seq, s.count FROM segment s
            WHERE s.engagement = \(engagement) AND s.seq IN (
                SELECT x.segment FROM segment_site x
                LEFT JOIN unnest(\(heldSites)::text[], \(heldUpTo)::bigint[]) AS h(site, upto) ON h.site = x.site
                WHERE x.engagement = \(engagement) AND x.segment > \(after) AND x.high > coalesce(h.upto, 0))
            ORDER BY s.seq LIMIT \(limit)
            """, logger: logger).decode((Int64, Int32).self) {
            candidates.append((seq, Int(count)))
        }
        return candidates
    }

    func payloads(at positions: [Int64]) async throws -> [(payload: Data, count: Int)] {
        var payloads: [(payload: Data, count: Int)] = []
        for try await (payload, count) in try await connection.query("""
            SELECT payload, count FROM segment WHERE seq = ANY(\(positions)) ORDER BY seq
            """, logger: logger).decode((ByteBuffer, Int32).self) {
            payloads.append((Data(buffer: payload), Int(count)))
        }
        return payloads
    }

    func siteSummaries() async throws -> [(site: String, count: Int64, high: Int64)] {
        var rows: [(site: String, count: Int64, high: Int64)] = []
        for try await (site, count, high) in try await connection.query("""
            SELECT site, count(*), max(counter) FROM change WHERE engagement = \(engagement) GROUP BY site
            """, logger: logger).decode((String, Int64, Int64).self) {
            rows.append((site, count, high))
        }
        return rows
    }

    func counters(of site: String) async throws -> [Int64] {
        var counters: [Int64] = []
        for try await counter in try await connection.query("""
            SELECT counter FROM change WHERE engagement = \(engagement) AND site = \(site) ORDER BY counter
            """, logger: logger).decode(Int64.self) {
            counters.append(counter)
        }
        return counters
    }

    func engagementKey(create: Bool) async throws -> EngagementKeyRow? {
        if create {
            // Two processes making it at once: the first one's stays.
            try await connection.query("""
                INSERT INTO engagement_key (engagement, private_key, last_hlc) VALUES (\(engagement), \(ByteBuffer(data: ChangeSigner().rawRepresentation)), 0)
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
        for try await (key, hlc) in try await connection.query("""
            SELECT private_key, last_hlc FROM engagement_key WHERE engagement = \(engagement)
            """, logger: logger).decode((ByteBuffer, Int64).self) {
            return EngagementKeyRow(privateKey: Data(buffer: key), lastHLC: UInt64(bitPattern: hlc))
        }
        return nil
    }

    func revocationRows() async throws -> [RevocationRow] {
        var rows: [RevocationRow] = []
        for try await (site, lastValid, hlc, lastValidCounter, hashCounter, reasonCounter, revoked) in try await connection.query("""
            SELECT site, last_valid, hlc, last_valid_counter, hash_counter, reason_counter, revoked FROM revocation
            WHERE engagement = \(engagement) ORDER BY site
            """, logger: logger).decode((String, Int64, Int64, Int64, Int64?, Int64?, Int64).self) {
            guard let site = SiteID(site) else { continue }
            rows.append(RevocationRow(site: site, lastValid: UInt64(bitPattern: lastValid), hlc: UInt64(bitPattern: hlc),
                                      lastValidCounter: UInt64(bitPattern: lastValidCounter), hashCounter: hashCounter.map { UInt64(bitPattern: $0) },
                                      reasonCounter: reasonCounter.map { UInt64(bitPattern: $0) },
                                      revokedAt: UInt64(bitPattern: revoked)))
        }
        return rows
    }

    func storeRevocation(_ row: RevocationRow, keyClock: UInt64) async throws {
        let reasonCounter = row.reasonCounter.map { Int64(bitPattern: $0) }, hashCounter = row.hashCounter.map { Int64(bitPattern: $0) }
        try await connection.query("""
            INSERT INTO revocation (engagement, site, last_valid, hlc, last_valid_counter, hash_counter, reason_counter, revoked)
            VALUES (\(engagement), \(row.site.text), \(Int64(bitPattern: row.lastValid)), \(Int64(bitPattern: row.hlc)),
                    \(Int64(bitPattern: row.lastValidCounter)), \(hashCounter), \(reasonCounter), \(Int64(bitPattern: row.revokedAt)))
            ON CONFLICT (engagement, site) DO UPDATE SET last_valid = excluded.last_valid, hlc = excluded.hlc,
                last_valid_counter = excluded.last_valid_counter, hash_counter = excluded.hash_counter, reason_counter = excluded.reason_counter, revoked = excluded.revoked
            """, logger: logger)
        try await connection.query("""
            UPDATE engagement_key SET last_hlc = \(Int64(bitPattern: keyClock)) WHERE engagement = \(engagement)
            """, logger: logger)
    }

    func revokeTokens(of assessor: String, now: UInt64) async throws -> [String] {
        var ids: [String] = []
        for try await id in try await connection.query("""
            UPDATE token SET revoked = \(Int64(bitPattern: now)) WHERE engagement = \(engagement) AND assessor = \(assessor) AND revoked IS NULL
            RETURNING id
            """, logger: logger).decode(String.self) {
            ids.append(id)
        }
        return ids.sorted()
    }
}

import FieldbookModel
import FieldbookReplica
import FieldbookWire
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The server's storage on PostgreSQL, for several `fieldbook-server` processes behind a load
/// balancer. Same tables and the same rules as `SQLiteServerStorage`.
///
/// Ordering: a push holds its engagement's row lock (`FOR NO KEY UPDATE`) from before its first
/// sequence number until commit, so within an engagement `seq` order is commit order. A puller
/// that has read up to `seq` N can therefore never later see a change below N appear: no gaps
/// to skip over, whichever process wrote it. Two processes applying the same batch at once run
/// one after the other; the second finds every dot present and stores nothing.
public final class PostgresServerStorage: ServerStorage {
    let client: PostgresClient
    let location: PostgresLocation
    let logger: Logger
    private let runner: Task<Void, Never>

    /// Connects (password from the environment), checks the server answers, and migrates.
    public init(location: PostgresLocation, logger: Logger = Logger(label: "fieldbook.postgres")) async throws {
        self.location = location
        self.logger = logger
        let password = PostgresLocation.passwordFromEnvironment()
        do {
            let probe = try await PostgresConnection.connect(configuration: location.connectionConfiguration(password: password),
                                                             id: 0, logger: logger)
            try await probe.close()
        } catch {
            throw Self.describe(error, location: location)
        }
        // The pool retries failed connections quietly; its refusals were checked just above.
        var background = logger
        background.logLevel = max(logger.logLevel, .error)
        let client = PostgresClient(configuration: location.configuration(password: password), backgroundLogger: background)
        self.client = client
        runner = Task { await client.run() }
        do {
            try await migrate()
        } catch {
            runner.cancel()
            throw Self.describe(error, location: location)
        }
    }

    /// Closes the pool's connections.
    public func close() async {
        runner.cancel()
        _ = await runner.value
    }

    deinit { runner.cancel() }

    // MARK: Engagements and tokens

    public func createEngagement(id: String, name: String, now: UInt64) async throws -> EngagementInfo {
        try await transaction { connection in
            let inserted = try await connection.query("""
                INSERT INTO engagement (id, name, created) VALUES (\(id), \(name), \(Int64(now)))
                ON CONFLICT (id) DO NOTHING RETURNING id
                """, logger: logger).collect()
            guard !inserted.isEmpty else { throw ServerError.engagementExists(id) }
            return EngagementInfo(id: id, name: name)
        }
    }

    public func engagement(_ id: String) async throws -> EngagementInfo? {
        try await client.query("SELECT id, name FROM engagement WHERE id = \(id)", logger: logger)
            .decode((String, String).self).first(where: { _ in true }).map { EngagementInfo(id: $0.0, name: $0.1) }
    }

    public func engagements() async throws -> [EngagementInfo] {
        var result: [EngagementInfo] = []
        for try await (id, name) in try await client.query("SELECT id, name FROM engagement ORDER BY created, id", logger: logger)
            .decode((String, String).self) {
            result.append(EngagementInfo(id: id, name: name))
        }
        return result
    }

    public func createToken(assessor: String, engagement: String, publicKey: Data?, role: TokenRole, expires: UInt64?,
                            now: UInt64) async throws -> IssuedToken {
        let secret = TokenSecret.generate()
        let id = String(UUID().uuidString.lowercased().prefix(8))
        let hash = TokenSecret.hash(secret)
        return try await transaction { connection in
            guard try await Self.lockEngagement(engagement, connection, logger) else { throw ServerError.unknownEngagement(engagement) }
            if let publicKey {
                let site = SiteID(publicKey: publicKey).text
                let owner = try await connection.query("""
                    SELECT assessor FROM site_binding WHERE engagement = \(engagement) AND site = \(site)
                    """, logger: logger).decode(String.self).first(where: { _ in true })
                if let owner, owner != assessor {
                    throw ServerError.keyBound(assessor: owner, engagement: engagement)
                }
                try await connection.query("""
                    INSERT INTO site_binding (engagement, site, assessor) VALUES (\(engagement), \(site), \(assessor)) ON CONFLICT DO NOTHING
                    """, logger: logger)
            }
            try await connection.query("""
                INSERT INTO token (id, hash, assessor, engagement, role, created, expires)
                VALUES (\(id), \(hash), \(assessor), \(engagement), \(role.rawValue), \(Int64(now)), \(expires.map(Int64.init)))
                """, logger: logger)
            return IssuedToken(id: id, token: secret, assessor: assessor, engagement: engagement, role: role, expires: expires.map(TokenRecord.time))
        }
    }

    public func revokeToken(id: String, now: UInt64) async throws -> Bool {
        let revoked = try await client.query("""
            UPDATE token SET revoked = \(Int64(now)) WHERE id = \(id) AND revoked IS NULL RETURNING id
            """, logger: logger).collect()
        return !revoked.isEmpty
    }

    public func tokens() async throws -> [TokenRecord] {
        try await tokenRecords(client.query("SELECT \(unescaped: TokenRecord.columns) FROM token ORDER BY created, id", logger: logger))
    }

    public func token(hash: String) async throws -> TokenRecord? {
        try await tokenRecords(client.query("SELECT \(unescaped: TokenRecord.columns) FROM token WHERE hash = \(hash)", logger: logger)).first
    }

    private func tokenRecords(_ rows: PostgresRowSequence) async throws -> [TokenRecord] {
        var records: [TokenRecord] = []
        for try await (id, assessor, engagement, role, created, revoked, expires)
            in rows.decode((String, String, String, String, Int64, Int64?, Int64?).self) {
            records.append(TokenRecord(id: id, assessor: assessor, engagement: engagement, role: role,
                                       created: created, revoked: revoked, expires: expires))
        }
        return records
    }

    // MARK: The change log

    public func push(_ batch: ReceivedBatch, engagement: String, pusher: String, now: UInt64, maximumSkewMilliseconds: UInt64) async throws -> PushResponse {
        try await transaction { connection in
            // Held until commit: serialises pushes to this engagement (see the type's comment).
            guard try await Self.lockEngagement(engagement, connection, logger) else { throw ServerError.unknownEngagement(engagement) }
            var lookups = PushLookups()
            let ranges = batch.ranges
            let sites = ranges.keys.map(\.text)
            let lows = ranges.values.map { Int64($0.lowerBound) }, highs = ranges.values.map { Int64($0.upperBound) }
            for try await (site, counter, hash, prev) in try await connection.query("""
                SELECT c.site, c.counter, c.hash, c.prev FROM change c
                JOIN unnest(\(sites)::text[], \(lows)::bigint[], \(highs)::bigint[]) AS r(site, low, high)
                  ON c.site = r.site AND c.counter BETWEEN r.low AND r.high
                WHERE c.engagement = \(engagement)
                """, logger: logger).decode((String, Int64, ByteBuffer, ByteBuffer?).self) {
                guard let site = SiteID(site) else { continue }
                lookups.held[site, default: [:]][UInt64(counter)] = HeldLink(hash: Data(buffer: hash), prev: prev.map { Data(buffer: $0) } ?? Data())
            }
            for try await (site, key) in try await connection.query("""
                SELECT site, public_key FROM site_key WHERE engagement = \(engagement) AND site = ANY(\(sites))
                """, logger: logger).decode((String, ByteBuffer).self) {
                if let site = SiteID(site) { lookups.keys[site] = Data(buffer: key) }
            }
            for try await (site, assessor) in try await connection.query("""
                SELECT site, assessor FROM site_binding WHERE engagement = \(engagement) AND site = ANY(\(sites))
                """, logger: logger).decode((String, String).self) {
                if let site = SiteID(site) { lookups.bindings[site] = assessor }
            }
            let entities = Array(Set(batch.changes.map(\.entity.rawValue)))
            for try await (entity, kind) in try await connection.query("""
                SELECT DISTINCT ON (entity) entity, kind FROM change WHERE engagement = \(engagement) AND entity = ANY(\(entities))
                """, logger: logger).decode((String, String).self) {
                if let id = EntityID(entity) { lookups.kinds[id] = EntityKind(rawValue: kind) }
            }
            let outcome = try PushValidation.validate(batch, pusher: pusher, now: now, maximumSkewMilliseconds: maximumSkewMilliseconds,
                                                      lookups: lookups)
            for (site, assessor) in outcome.bindings {
                try await connection.query("""
                    INSERT INTO site_binding (engagement, site, assessor) VALUES (\(engagement), \(site.text), \(assessor))
                    """, logger: logger)
            }
            for (site, key) in outcome.accepted.keys {
                try await connection.query("""
                    INSERT INTO site_key (engagement, site, public_key) VALUES (\(engagement), \(site.text), \(ByteBuffer(data: key)))
                    ON CONFLICT DO NOTHING
                    """, logger: logger)
            }
            let fresh = outcome.accepted.fresh
            if !fresh.isEmpty {
                let segment = try await connection.query("""
                    INSERT INTO segment (engagement, payload, count) VALUES (\(engagement), \(ByteBuffer(data: batch.bytes)), \(batch.changes.count))
                    RETURNING seq
                    """, logger: logger).decode(Int64.self).first(where: { _ in true }) ?? 0
                let spans = batch.siteSpans
                try await connection.query("""
                    INSERT INTO segment_site (segment, engagement, site, low, high)
                    SELECT \(segment), \(engagement), site, low, high
                    FROM unnest(\(spans.keys.map(\.text))::text[], \(spans.values.map { Int64($0.lowerBound) })::bigint[],
                                \(spans.values.map { Int64($0.upperBound) })::bigint[]) AS t(site, low, high)
                    """, logger: logger)
                // An empty link marks a legacy change (arrays of optionals do not bind).
                let prevs = fresh.map { ByteBuffer(data: $0.prev) }
                try await connection.query("""
                    INSERT INTO change (engagement, site, counter, entity, kind, segment, hash, prev)
                    SELECT \(engagement), site, counter, entity, kind, \(segment), hash, prev
                    FROM unnest(\(fresh.map(\.dot.site.text))::text[], \(fresh.map { Int64(bitPattern: $0.dot.counter) })::bigint[],
                                \(fresh.map(\.entity.rawValue))::text[], \(fresh.map(\.kind.rawValue))::text[],
                                \(outcome.accepted.hashes.map { ByteBuffer(data: $0) })::bytea[], \(prevs)::bytea[])
                         AS t(site, counter, entity, kind, hash, prev)
                    """, logger: logger)
            }
            return PushResponse(received: batch.changes.count, applied: fresh.count, duplicates: batch.changes.count - fresh.count)
        }
    }

    public func pull(engagement: String, request: PullRequest) async throws -> PullPage {
        try await transaction { connection in
            // One snapshot for the page, its "more" answer and the closing vector.
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            guard try await Self.engagementExists(engagement, connection, logger) else { throw ServerError.unknownEngagement(engagement) }
            let limit = max(1, min(request.limit, Wire.maximumBatchChanges))
            // The segments after the cursor holding a counter above what the client holds
            // without gaps, filtered in SQL against the client's vector.
            let heldSites = request.vector.entries.keys.map(\.text)
            let heldUpTo = request.vector.entries.values.map { Int64(bitPattern: $0.contiguous) }
            var candidates: [(seq: Int64, count: Int)] = []
            for try await (seq, count) in try await connection.query("""
                SELECT s.seq, s.count FROM segment s
                WHERE s.engagement = \(engagement) AND s.seq IN (
                    SELECT x.segment FROM segment_site x
                    LEFT JOIN unnest(\(heldSites)::text[], \(heldUpTo)::bigint[]) AS h(site, upto) ON h.site = x.site
                    WHERE x.engagement = \(engagement) AND x.segment > \(request.after) AND x.high > coalesce(h.upto, 0))
                ORDER BY s.seq LIMIT \(PullPaging.candidateLimit(limit))
                """, logger: logger).decode((Int64, Int32).self) {
                candidates.append((seq, Int(count)))
            }
            let (chosen, more) = PullPaging.take(candidates, limit: limit)
            var segments: [Data] = []
            var count = 0
            for try await (payload, segmentCount) in try await connection.query("""
                SELECT payload, count FROM segment WHERE seq = ANY(\(chosen)) ORDER BY seq
                """, logger: logger).decode((ByteBuffer, Int32).self) {
                segments.append(Data(buffer: payload))
                count += Int(segmentCount)
            }
            return PullPage(segments: segments, count: count, next: more ? chosen.last : nil,
                            vector: more ? nil : try await Self.vector(engagement, connection, logger))
        }
    }

    public func vector(engagement: String) async throws -> VersionVector {
        try await transaction { connection in
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            guard try await Self.engagementExists(engagement, connection, logger) else { throw ServerError.unknownEngagement(engagement) }
            return try await Self.vector(engagement, connection, logger)
        }
    }

    /// One aggregate row per site with no gaps; only a site with gaps is read change by change.
    static func vector(_ engagement: String, _ connection: PostgresConnection, _ logger: Logger) async throws -> VersionVector {
        var rows: [(site: String, count: Int64, high: Int64)] = []
        for try await (site, count, high) in try await connection.query("""
            SELECT site, count(*), max(counter) FROM change WHERE engagement = \(engagement) GROUP BY site
            """, logger: logger).decode((String, Int64, Int64).self) {
            rows.append((site, count, high))
        }
        var gapped: [String: [Int64]] = [:]
        for row in rows where row.count != row.high {
            var counters: [Int64] = []
            for try await counter in try await connection.query("""
                SELECT counter FROM change WHERE engagement = \(engagement) AND site = \(row.site) ORDER BY counter
                """, logger: logger).decode(Int64.self) {
                counters.append(counter)
            }
            gapped[row.site] = counters
        }
        return PullPaging.vector(rows) { gapped[$0] ?? [] }
    }

    // MARK: Helpers

    static func engagementExists(_ id: String, _ connection: PostgresConnection, _ logger: Logger) async throws -> Bool {
        try await connection.query("SELECT EXISTS (SELECT 1 FROM engagement WHERE id = \(id))", logger: logger)
            .decode(Bool.self).first(where: { _ in true }) ?? false
    }

    /// Locks the engagement's row until commit; false when there is no such engagement.
    static func lockEngagement(_ id: String, _ connection: PostgresConnection, _ logger: Logger) async throws -> Bool {
        try await !connection.query("SELECT id FROM engagement WHERE id = \(id) FOR NO KEY UPDATE", logger: logger).collect().isEmpty
    }

    func transaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as ServerError {
            throw error
        } catch let error as PostgresTransactionError {
            if let closureError = error.closureError as? ServerError { throw closureError }
            if let closureError = error.closureError { throw Self.describe(closureError, location: location) }
            throw Self.describe(error, location: location)
        } catch {
            throw Self.describe(error, location: location)
        }
    }

    /// PostgresNIO's errors hide their details from `description`; say what went wrong
    /// without the password, which is never part of the location.
    static func describe(_ error: any Error, location: PostgresLocation) -> any Error {
        if let error = error as? ServerError { return error }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return ServerError.unavailable("PostgreSQL at \(location) refused: \(message).")
            }
            let why = error.underlying.map { "\($0)" } ?? "\(error.code)"
            return ServerError.unavailable("PostgreSQL at \(location) cannot be reached: \(why).")
        }
        return ServerError.unavailable("PostgreSQL at \(location) failed: \(error).")
    }
}

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
    /// The schema this build writes; a database with a higher version is refused.
    static let schemaVersion = 2
    /// Any fixed number: the advisory lock two processes starting at once migrate under.
    static let migrationLock: Int64 = 0x4642_5345_5256 // "FBSERV"

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

    private func migrate() async throws {
        try await transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: logger)
            try await connection.query("CREATE TABLE IF NOT EXISTS fieldbook_schema (version integer NOT NULL)", logger: logger)
            let version = try await connection.query("SELECT max(version) FROM fieldbook_schema", logger: logger)
                .decode(Int?.self).first(where: { _ in true }) ?? nil
            if let version, version > Self.schemaVersion {
                throw ServerError.badRequest("The server database \(location) was written by a newer fieldbook-server; update it.")
            }
            if version == nil {
                try await createVersion1(connection)
            }
            if (version ?? 1) < 2 {
                // Which assessor each signing key (site) writes as, per engagement.
                try await connection.query("""
                    CREATE TABLE site_binding (
                        engagement text NOT NULL REFERENCES engagement(id), site text NOT NULL, assessor text NOT NULL,
                        PRIMARY KEY (engagement, site))
                    """, logger: logger)
                try await connection.query("INSERT INTO fieldbook_schema (version) VALUES (2)", logger: logger)
            }
        }
    }

    private func createVersion1(_ connection: PostgresConnection) async throws {
        try await connection.query("""
            CREATE TABLE engagement (id text PRIMARY KEY, name text NOT NULL, created bigint NOT NULL)
            """, logger: logger)
        try await connection.query("""
            CREATE TABLE token (
                id text PRIMARY KEY, hash text NOT NULL UNIQUE, assessor text NOT NULL,
                engagement text NOT NULL REFERENCES engagement(id),
                created bigint NOT NULL, revoked bigint)
            """, logger: logger)
        // The change log, one row per change; seq orders it by commit within an engagement.
        try await connection.query("""
            CREATE TABLE change (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                engagement text NOT NULL REFERENCES engagement(id),
                site text NOT NULL, counter bigint NOT NULL,
                entity text NOT NULL, kind text NOT NULL,
                payload bytea NOT NULL,
                UNIQUE (engagement, site, counter))
            """, logger: logger)
        try await connection.query("CREATE INDEX change_by_entity ON change (engagement, entity)", logger: logger)
        try await connection.query("CREATE INDEX change_by_seq ON change (engagement, seq)", logger: logger)
        try await connection.query("INSERT INTO fieldbook_schema (version) VALUES (1)", logger: logger)
    }

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

    public func createToken(assessor: String, engagement: String, publicKey: Data?, now: UInt64) async throws -> IssuedToken {
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
                    throw ServerError.engagementExists("That key is bound to '\(owner)' on engagement \(engagement) already")
                }
                try await connection.query("""
                    INSERT INTO site_binding (engagement, site, assessor) VALUES (\(engagement), \(site), \(assessor)) ON CONFLICT DO NOTHING
                    """, logger: logger)
            }
            try await connection.query("""
                INSERT INTO token (id, hash, assessor, engagement, created) VALUES (\(id), \(hash), \(assessor), \(engagement), \(Int64(now)))
                """, logger: logger)
            return IssuedToken(id: id, token: secret, assessor: assessor, engagement: engagement)
        }
    }

    public func revokeToken(id: String, now: UInt64) async throws -> Bool {
        let revoked = try await client.query("""
            UPDATE token SET revoked = \(Int64(now)) WHERE id = \(id) AND revoked IS NULL RETURNING id
            """, logger: logger).collect()
        return !revoked.isEmpty
    }

    public func tokens() async throws -> [TokenRecord] {
        try await tokenRecords(client.query("""
            SELECT id, assessor, engagement, created, revoked FROM token ORDER BY created, id
            """, logger: logger))
    }

    public func token(hash: String) async throws -> TokenRecord? {
        try await tokenRecords(client.query("""
            SELECT id, assessor, engagement, created, revoked FROM token WHERE hash = \(hash)
            """, logger: logger)).first
    }

    private func tokenRecords(_ rows: PostgresRowSequence) async throws -> [TokenRecord] {
        var records: [TokenRecord] = []
        for try await (id, assessor, engagement, created, revoked) in rows.decode((String, String, String, Int64, Int64?).self) {
            records.append(TokenRecord(id: id, assessor: assessor, engagement: engagement,
                                       created: Timestamp.rfc3339(UInt64(created)),
                                       revoked: revoked.map { Timestamp.rfc3339(UInt64($0)) }))
        }
        return records
    }

    // MARK: The change log

    public func push(_ changes: [Change], engagement: String, pusher: String, now: UInt64, maximumSkewMilliseconds: UInt64) async throws -> PushResponse {
        try await transaction { connection in
            // Held until commit: serialises pushes to this engagement (see the type's comment).
            guard try await Self.lockEngagement(engagement, connection, logger) else { throw ServerError.unknownEngagement(engagement) }
            let entities = Array(Set(changes.map(\.entity.rawValue)))
            var kinds: [String: EntityKind] = [:]
            for try await (entity, kind) in try await connection.query("""
                SELECT DISTINCT ON (entity) entity, kind FROM change WHERE engagement = \(engagement) AND entity = ANY(\(entities))
                """, logger: logger).decode((String, String).self) {
                kinds[entity] = EntityKind(rawValue: kind)
            }
            let sites = changes.map(\.dot.site.text), counters = changes.map { Int64(bitPattern: $0.dot.counter) }
            var stored: [Dot: Data] = [:]
            for try await (site, counter, payload) in try await connection.query("""
                SELECT c.site, c.counter, c.payload FROM change c
                JOIN unnest(\(sites)::text[], \(counters)::bigint[]) AS d(site, counter) ON c.site = d.site AND c.counter = d.counter
                WHERE c.engagement = \(engagement)
                """, logger: logger).decode((String, Int64, ByteBuffer).self) {
                if let site = SiteID(site) { stored[Dot(site: site, counter: UInt64(bitPattern: counter))] = Data(buffer: payload) }
            }
            var owners: [String: String] = [:]
            let batchSites = Array(Set(sites))
            for try await (site, assessor) in try await connection.query("""
                SELECT site, assessor FROM site_binding WHERE engagement = \(engagement) AND site = ANY(\(batchSites))
                """, logger: logger).decode((String, String).self) {
                owners[site] = assessor
            }
            let bindings = try PushValidation.validate(changes, pusher: pusher, now: now, maximumSkewMilliseconds: maximumSkewMilliseconds,
                                                       boundAssessor: { owners[$0.text] },
                                                       knownKind: { kinds[$0.rawValue] }, storedPayload: { stored[$0] })
            for (site, assessor) in bindings {
                try await connection.query("""
                    INSERT INTO site_binding (engagement, site, assessor) VALUES (\(engagement), \(site.text), \(assessor))
                    """, logger: logger)
            }
            let payloads = changes.map { ByteBuffer(data: PushValidation.payload($0)) }
            let applied = try await connection.query("""
                WITH inserted AS (
                    INSERT INTO change (engagement, site, counter, entity, kind, payload)
                    SELECT \(engagement), site, counter, entity, kind, payload
                    FROM unnest(\(sites)::text[], \(counters)::bigint[], \(changes.map(\.entity.rawValue))::text[],
                                \(changes.map(\.kind.rawValue))::text[], \(payloads)::bytea[])
                         WITH ORDINALITY AS t(site, counter, entity, kind, payload, position)
                    ORDER BY position
                    ON CONFLICT (engagement, site, counter) DO NOTHING
                    RETURNING 1)
                SELECT count(*) FROM inserted
                """, logger: logger).decode(Int64.self).first(where: { _ in true }) ?? 0
            return PushResponse(received: changes.count, applied: Int(applied), duplicates: changes.count - Int(applied))
        }
    }

    public func pull(engagement: String, request: PullRequest) async throws -> PullPage {
        try await transaction { connection in
            // One snapshot for the page, its "more" answer and the closing vector.
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            guard try await Self.engagementExists(engagement, connection, logger) else { throw ServerError.unknownEngagement(engagement) }
            let limit = max(1, min(request.limit, Wire.maximumBatchChanges))
            var collected: [Change] = []
            var cursor = request.after
            var exhausted = false
            // Scan forward in commit order, skipping what the client holds, until a page is full.
            while collected.count < limit && !exhausted {
                // Exactly what the page still needs; more only when the client held some of it.
                let wanted = limit - collected.count
                var read = 0
                for try await (seq, site, counter, payload) in try await connection.query("""
                    SELECT seq, site, counter, payload FROM change WHERE engagement = \(engagement) AND seq > \(cursor)
                    ORDER BY seq LIMIT \(wanted)
                    """, logger: logger).decode((Int64, String, Int64, ByteBuffer).self) {
                    read += 1
                    cursor = seq
                    guard let site = SiteID(site), !request.vector.contains(Dot(site: site, counter: UInt64(bitPattern: counter))) else { continue }
                    collected.append(try PushValidation.change(from: Data(buffer: payload)))
                }
                exhausted = read < wanted
            }
            let more = try await connection.query("""
                SELECT EXISTS (SELECT 1 FROM change WHERE engagement = \(engagement) AND seq > \(cursor))
                """, logger: logger).decode(Bool.self).first(where: { _ in true }) ?? false
            return PullPage(changes: collected, next: more ? cursor : nil, vector: more ? nil : try await Self.vector(engagement, connection, logger))
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
        var entries: [SiteID: VersionVector.Entry] = [:]
        var gapped: [SiteID] = []
        for try await (text, count, high) in try await connection.query("""
            SELECT site, count(*), max(counter) FROM change WHERE engagement = \(engagement) GROUP BY site
            """, logger: logger).decode((String, Int64, Int64).self) {
            guard let site = SiteID(text) else { continue }
            if count == high { entries[site] = VersionVector.Entry(contiguous: UInt64(high)) } else { gapped.append(site) }
        }
        for site in gapped {
            var entry = VersionVector.Entry()
            for try await counter in try await connection.query("""
                SELECT counter FROM change WHERE engagement = \(engagement) AND site = \(site.text) ORDER BY counter
                """, logger: logger).decode(Int64.self) {
                entry.insert(UInt64(bitPattern: counter))
            }
            entries[site] = entry
        }
        return VersionVector(entries: entries)
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

    private func transaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
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

import FieldbookModel
import FieldbookReplica
import FieldbookWire
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The server's storage on PostgreSQL, for several `fieldbook-server` processes behind a load
/// balancer. Same tables and the same rules as `SQLiteServerStorage`: push and pull are
/// `SyncLogStore`'s, run in PostgreSQL transactions on `PostgresSyncLog`.
///
/// Ordering: a push holds its engagement's row lock (`FOR NO KEY UPDATE`) from before its first
/// sequence number until commit, so within an engagement `seq` order is commit order. A puller
/// that has read up to `seq` N can therefore never later see a change below N appear: no gaps
/// to skip over, whichever process wrote it. Two processes applying the same batch at once run
/// one after the other; the second finds every dot present and stores nothing.
public final class PostgresServerStorage: SyncLogStore {
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

    public func ping() async throws {
        for try await _ in try await client.query("SELECT 1", logger: logger) {}
    }

    public var connectionLimit: Int { PostgresLocation.maximumConnections }

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

    // MARK: The change log (`SyncLogStore`)

    func writing<T: Sendable>(_ engagement: String, _ body: @escaping @Sendable (PostgresSyncLog) async throws -> T) async throws -> T {
        try await transaction { connection in try await body(PostgresSyncLog(connection: connection, engagement: engagement, logger: logger)) }
    }

    func reading<T: Sendable>(_ engagement: String, _ body: @escaping @Sendable (PostgresSyncLog) async throws -> T) async throws -> T {
        try await transaction { connection in
            try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            return try await body(PostgresSyncLog(connection: connection, engagement: engagement, logger: logger))
        }
    }

    // MARK: Helpers

    /// Locks the engagement's row until commit; false when there is no such engagement.
    static func lockEngagement(_ id: String, _ connection: PostgresConnection, _ logger: Logger) async throws -> Bool {
        try await !connection.query("SELECT id FROM engagement WHERE id = \(id) FOR NO KEY UPDATE", logger: logger).collect().isEmpty
    }

    func transaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as ServerError {
            throw error
        } catch let error as RevocationError {
            throw error
        } catch let error as PostgresTransactionError {
            if let closureError = error.closureError as? ServerError { throw closureError }
            if let closureError = error.closureError as? RevocationError { throw closureError }
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

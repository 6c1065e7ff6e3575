import CSQLiteTuning
import FieldbookModel
import FieldbookReplica
import FieldbookWire
import Foundation
import GRDB

/// The server's storage on one SQLite file (WAL): what a small consultancy runs with
/// nothing else installed. Push and pull are `SyncLogStore`'s, run in GRDB's transactions on
/// `SQLiteSyncLog`; the schema is in `SQLiteMigrations.swift`.
public final class SQLiteServerStorage: SyncLogStore {
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
            if try Self.exists(db, id) {
                throw ServerError.engagementExists(id)
            }
            try db.execute(sql: "INSERT INTO engagement (id, name, created) VALUES (?, ?, ?)", arguments: [id, name, Int64(now)])
            return EngagementInfo(id: id, name: name)
        }
    }

    /// A consistent copy of the database at `path` through SQLite's online backup API, taken
    /// while the server serves (readers and writers go on; the copy is one moment's state).
    public func backup(to path: String) throws {
        let copy = try DatabaseQueue(path: path)
        try database.backup(to: copy)
        try copy.close()
    }

    /// Whether the database holds any engagement (a restore refuses to replace one that does).
    public func holdsData() async throws -> Bool {
        try await database.read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM engagement)") ?? false }
    }

    public func ping() async throws {
        _ = try await database.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    /// GRDB's readers plus its one writer.
    public var connectionLimit: Int { database.configuration.maximumReaderCount + 1 }

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
            guard try Self.exists(db, engagement) else {
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

    // MARK: The change log (`SyncLogStore`)

    func writing<T: Sendable>(_ engagement: String, _ body: @escaping @Sendable (SQLiteSyncLog) async throws -> T) async throws -> T {
        try await database.write { db in
            try CallingThreadExecutor.run { try await body(SQLiteSyncLog(db: db, engagement: engagement)) }
        }
    }

    func reading<T: Sendable>(_ engagement: String, _ body: @escaping @Sendable (SQLiteSyncLog) async throws -> T) async throws -> T {
        try await database.read { db in
            try CallingThreadExecutor.run { try await body(SQLiteSyncLog(db: db, engagement: engagement)) }
        }
    }

    static func exists(_ db: Database, _ engagement: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM engagement WHERE id = ?)", arguments: [engagement]) == true
    }
}

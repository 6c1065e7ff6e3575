import FieldbookModel
import FieldbookReplica
import FieldbookWire
import Foundation
import GRDB

/// The server's storage on one SQLite file (WAL): what a small consultancy runs with
/// nothing else installed.
public final class SQLiteServerStorage: ServerStorage {
    let database: DatabasePool

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.label = "fieldbook.server"
        database = try DatabasePool(path: path, configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE engagement (id TEXT PRIMARY KEY, name TEXT NOT NULL, created INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TABLE token (
                    id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, assessor TEXT NOT NULL,
                    engagement TEXT NOT NULL REFERENCES engagement(id),
                    created INTEGER NOT NULL, revoked INTEGER
                ) WITHOUT ROWID;
                -- The change log, one row per change, in arrival order (seq).
                CREATE TABLE change (
                    seq INTEGER PRIMARY KEY,
                    engagement TEXT NOT NULL REFERENCES engagement(id),
                    site TEXT NOT NULL, counter INTEGER NOT NULL,
                    entity TEXT NOT NULL, kind TEXT NOT NULL,
                    payload BLOB NOT NULL,
                    UNIQUE (engagement, site, counter)
                );
                CREATE INDEX change_by_entity ON change(engagement, entity);
                """)
        }
        // Which assessor each signing key (site) writes as, per engagement.
        migrator.registerMigration("v2-site-binding") { db in
            try db.execute(sql: """
                CREATE TABLE site_binding (
                    engagement TEXT NOT NULL REFERENCES engagement(id), site TEXT NOT NULL, assessor TEXT NOT NULL,
                    PRIMARY KEY (engagement, site)
                ) WITHOUT ROWID;
                """)
        }
        if try database.read({ try migrator.hasBeenSuperseded($0) }) {
            throw ServerError.badRequest("The server database \(path) was written by a newer fieldbook-server; update it.")
        }
        try migrator.migrate(database)
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

    public func createToken(assessor: String, engagement: String, publicKey: Data?, now: UInt64) async throws -> IssuedToken {
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
                    throw ServerError.engagementExists("That key is bound to '\(owner)' on engagement \(engagement) already")
                }
                try db.execute(sql: "INSERT OR IGNORE INTO site_binding (engagement, site, assessor) VALUES (?, ?, ?)",
                               arguments: [engagement, site.text, assessor])
            }
            try db.execute(sql: "INSERT INTO token (id, hash, assessor, engagement, created) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, TokenSecret.hash(secret), assessor, engagement, Int64(now)])
            return IssuedToken(id: id, token: secret, assessor: assessor, engagement: engagement)
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
            try Row.fetchAll(db, sql: "SELECT id, assessor, engagement, created, revoked FROM token ORDER BY created, id").map(Self.tokenRecord)
        }
    }

    public func token(hash: String) async throws -> TokenRecord? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT id, assessor, engagement, created, revoked FROM token WHERE hash = ?", arguments: [hash])
                .map(Self.tokenRecord)
        }
    }

    static func tokenRecord(_ row: Row) -> TokenRecord {
        TokenRecord(id: row["id"], assessor: row["assessor"], engagement: row["engagement"],
                    created: Timestamp.rfc3339(UInt64(row["created"] as Int64)),
                    revoked: (row["revoked"] as Int64?).map { Timestamp.rfc3339(UInt64($0)) })
    }

    public func push(_ changes: [Change], engagement: String, pusher: String, now: UInt64, maximumSkewMilliseconds: UInt64) async throws -> PushResponse {
        try await database.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM engagement WHERE id = ?)", arguments: [engagement]) == true else {
                throw ServerError.unknownEngagement(engagement)
            }
            let kindOf = try db.cachedStatement(sql: "SELECT kind FROM change WHERE engagement = ? AND entity = ? LIMIT 1")
            let existing = try db.cachedStatement(sql: "SELECT payload FROM change WHERE engagement = ? AND site = ? AND counter = ?")
            let bindingOf = try db.cachedStatement(sql: "SELECT assessor FROM site_binding WHERE engagement = ? AND site = ?")
            let bindings = try PushValidation.validate(changes, pusher: pusher, now: now, maximumSkewMilliseconds: maximumSkewMilliseconds,
                                        boundAssessor: { site in try String.fetchOne(bindingOf, arguments: [engagement, site.text]) },
                                        knownKind: { entity in
                                            try String.fetchOne(kindOf, arguments: [engagement, entity.rawValue]).flatMap(EntityKind.init)
                                        },
                                        storedPayload: { dot in
                                            try Data.fetchOne(existing, arguments: [engagement, dot.site.text, Int64(bitPattern: dot.counter)])
                                        })
            let insert = try db.cachedStatement(sql: """
                INSERT INTO change (engagement, site, counter, entity, kind, payload) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (engagement, site, counter) DO NOTHING
                """)
            for (site, assessor) in bindings {
                try db.execute(sql: "INSERT INTO site_binding (engagement, site, assessor) VALUES (?, ?, ?)",
                               arguments: [engagement, site.text, assessor])
            }
            var applied = 0
            for change in changes {
                try insert.execute(arguments: [engagement, change.dot.site.text, Int64(bitPattern: change.dot.counter),
                                               change.entity.rawValue, change.kind.rawValue, PushValidation.payload(change)])
                applied += db.changesCount
            }
            return PushResponse(received: changes.count, applied: applied, duplicates: changes.count - applied)
        }
    }

    public func pull(engagement: String, request: PullRequest) async throws -> PullPage {
        try await database.read { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM engagement WHERE id = ?)", arguments: [engagement]) == true else {
                throw ServerError.unknownEngagement(engagement)
            }
            let limit = max(1, min(request.limit, Wire.maximumBatchChanges))
            var collected: [Change] = []
            var cursor = request.after
            var exhausted = false
            // Scan forward in arrival order, skipping what the client holds, until a page is full.
            while collected.count < limit && !exhausted {
                let rows = try Row.fetchAll(db, sql: """
                    SELECT seq, site, counter, payload FROM change WHERE engagement = ? AND seq > ? ORDER BY seq LIMIT 2000
                    """, arguments: [engagement, cursor])
                exhausted = rows.count < 2000
                for row in rows {
                    cursor = row["seq"]
                    guard let site = SiteID(row["site"] as String) else { continue }
                    if request.vector.contains(Dot(site: site, counter: UInt64(bitPattern: row["counter"]))) { continue }
                    collected.append(try PushValidation.change(from: row["payload"]))
                    if collected.count == limit { break }
                }
            }
            let more = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM change WHERE engagement = ? AND seq > ?)",
                                         arguments: [engagement, cursor]) ?? false
            return PullPage(changes: collected, next: more ? cursor : nil, vector: more ? nil : try Self.vector(db, engagement))
        }
    }

    public func vector(engagement: String) async throws -> VersionVector {
        try await database.read { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM engagement WHERE id = ?)", arguments: [engagement]) == true else {
                throw ServerError.unknownEngagement(engagement)
            }
            return try Self.vector(db, engagement)
        }
    }

    /// One aggregate row per site with no gaps; only a site with gaps is read change by change.
    static func vector(_ db: Database, _ engagement: String) throws -> VersionVector {
        var entries: [SiteID: VersionVector.Entry] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT site, COUNT(*) AS n, MAX(counter) AS high FROM change WHERE engagement = ? GROUP BY site",
                                    arguments: [engagement]) {
            guard let site = SiteID(row["site"] as String) else { continue }
            let count: Int64 = row["n"], high: Int64 = row["high"]
            if count == high {
                entries[site] = VersionVector.Entry(contiguous: UInt64(high))
                continue
            }
            var entry = VersionVector.Entry()
            for counter in try Int64.fetchAll(db, sql: "SELECT counter FROM change WHERE engagement = ? AND site = ? ORDER BY counter",
                                              arguments: [engagement, site.text]) {
                entry.insert(UInt64(counter))
            }
            entries[site] = entry
        }
        return VersionVector(entries: entries)
    }
}

enum Timestamp {
    static func rfc3339(_ milliseconds: UInt64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}

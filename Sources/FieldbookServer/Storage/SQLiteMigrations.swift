import FieldbookReplica
import Foundation
import GRDB

/// The SQLite server schema and its migrations, beside `PostgresMigrations.swift`: "v1" the change
/// log and tokens, "v2-site-binding" key bindings, "v3-segments" segments stored as received,
/// "v4-token-role" tokens' roles and expiry. Existing databases record these identifiers: never
/// rename or edit a migration once shipped; add one.
extension SQLiteServerStorage {
    /// Brings the database at `path` up to this build's schema; one written by a newer release
    /// is refused.
    static func migrate(_ database: DatabasePool, path: String) throws {
        let migrator = Self.migrator
        if try database.read({ try migrator.hasBeenSuperseded($0) }) {
            throw ServerError.newerSchema(path)
        }
        try migrator.migrate(database)
    }

    private static var migrator: DatabaseMigrator {
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
        // Bytes stored as received: each accepted push body is a segment, served to pullers as
        // it is; `change` indexes each change's segment, hash and history link; `segment_site`
        // says which counters of which site a segment holds, so a pull finds what a client
        // lacks in SQL. Each old row becomes a segment of its own (its payload is a one-change
        // batch in format 3, still read).
        migrator.registerMigration("v3-segments") { db in
            try db.execute(sql: """
                CREATE TABLE segment (
                    seq INTEGER PRIMARY KEY, engagement TEXT NOT NULL REFERENCES engagement(id),
                    payload BLOB NOT NULL, count INTEGER NOT NULL);
                CREATE TABLE segment_site (
                    segment INTEGER NOT NULL REFERENCES segment(seq), engagement TEXT NOT NULL,
                    site TEXT NOT NULL, low INTEGER NOT NULL, high INTEGER NOT NULL,
                    PRIMARY KEY (engagement, segment, site)) WITHOUT ROWID;
                CREATE TABLE site_key (
                    engagement TEXT NOT NULL REFERENCES engagement(id), site TEXT NOT NULL, public_key BLOB NOT NULL,
                    PRIMARY KEY (engagement, site)) WITHOUT ROWID;
                CREATE TABLE change_v3 (
                    engagement TEXT NOT NULL REFERENCES engagement(id),
                    site TEXT NOT NULL, counter INTEGER NOT NULL,
                    entity TEXT NOT NULL, kind TEXT NOT NULL,
                    segment INTEGER NOT NULL REFERENCES segment(seq),
                    hash BLOB NOT NULL, prev BLOB,
                    PRIMARY KEY (engagement, site, counter)) WITHOUT ROWID;
                """)
            let rows = try Row.fetchCursor(db, sql: "SELECT engagement, site, counter, entity, kind, payload FROM change ORDER BY seq")
            while let row = try rows.next() {
                let payload: Data = row["payload"]
                let batch = try ReceivedBatch(bytes: payload)
                guard let change = batch.changes.first else { continue }
                let engagement: String = row["engagement"]
                try db.execute(sql: "INSERT INTO segment (engagement, payload, count) VALUES (?, ?, 1)", arguments: [engagement, payload])
                let segment = db.lastInsertedRowID
                try db.execute(sql: "INSERT INTO segment_site (segment, engagement, site, low, high) VALUES (?, ?, ?, ?, ?)",
                               arguments: [segment, engagement, row["site"], row["counter"], row["counter"]])
                try db.execute(sql: """
                    INSERT INTO change_v3 (engagement, site, counter, entity, kind, segment, hash, prev) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [engagement, row["site"], row["counter"], row["entity"], row["kind"], segment, batch.hashes[0],
                                     change.prev.isEmpty ? nil : change.prev])
                if change.publicKey.count == 32 {
                    try db.execute(sql: "INSERT OR IGNORE INTO site_key (engagement, site, public_key) VALUES (?, ?, ?)",
                                   arguments: [engagement, row["site"], change.publicKey])
                }
            }
            try db.execute(sql: """
                DROP TABLE change;
                ALTER TABLE change_v3 RENAME TO change;
                CREATE INDEX change_by_entity ON change(engagement, entity);
                """)
        }
        // What each token may do and until when: the tokens issued before roles stay assessors
        // that never expire.
        migrator.registerMigration("v4-token-role") { db in
            try db.execute(sql: """
                ALTER TABLE token ADD COLUMN role TEXT NOT NULL DEFAULT 'assessor';
                ALTER TABLE token ADD COLUMN expires INTEGER;
                """)
        }
        // Key revocation (issue 31): each engagement's own key, which signs its revocations
        // (kept with the database, so backups carry it), and the revocations it wrote.
        migrator.registerMigration("v5-revocation") { db in
            try db.execute(sql: """
                CREATE TABLE engagement_key (
                    engagement TEXT PRIMARY KEY REFERENCES engagement(id), private_key BLOB NOT NULL, last_hlc INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE revocation (
                    engagement TEXT NOT NULL REFERENCES engagement(id), site TEXT NOT NULL,
                    last_valid INTEGER NOT NULL, hlc INTEGER NOT NULL, last_valid_counter INTEGER NOT NULL,
                    hash_counter INTEGER, reason_counter INTEGER, revoked INTEGER NOT NULL,
                    PRIMARY KEY (engagement, site)
                ) WITHOUT ROWID;
                """)
        }
        return migrator
    }
}

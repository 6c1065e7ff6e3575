import FieldbookReplica
import FieldbookWire
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The PostgreSQL server schema and its migrations, as `Schema.swift` holds the workspace's:
/// version 1 the change log and tokens, 2 key bindings, 3 segments stored as received, 4 without
/// the index pulls no longer read, 5 tokens' roles and expiry, 6 evidence objects in the database
/// (`PostgresBlobStore`), 7 engagement keys and revocations. Every version is recorded in `fieldbook_schema`; processes
/// starting at once migrate one after the other under an advisory lock.
extension PostgresServerStorage {
    /// The schema this build writes; a database with a higher version is refused.
    static let schemaVersion = 7
    /// Any fixed number: the advisory lock two processes starting at once migrate under.
    static let migrationLock: Int64 = 0x4642_5345_5256 // "FBSERV"

    func migrate() async throws {
        try await transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: logger)
            try await connection.query("CREATE TABLE IF NOT EXISTS fieldbook_schema (version integer NOT NULL)", logger: logger)
            let version = try await connection.query("SELECT max(version) FROM fieldbook_schema", logger: logger)
                .decode(Int?.self).first(where: { _ in true }) ?? nil
            if let version, version > Self.schemaVersion {
                throw ServerError.newerSchema("\(location)")
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
            if (version ?? 1) < 3 {
                try await migrateToSegments(connection)
                try await connection.query("INSERT INTO fieldbook_schema (version) VALUES (3)", logger: logger)
            }
            if (version ?? 1) < 4 {
                // Pulls page by segment since version 3: every pushed change paid for this index
                // and nothing read it.
                try await connection.query("DROP INDEX IF EXISTS change_by_seq", logger: logger)
                try await connection.query("INSERT INTO fieldbook_schema (version) VALUES (4)", logger: logger)
            }
            if (version ?? 1) < 5 {
                // What each token may do and until when: the tokens issued before roles stay
                // assessors that never expire.
                try await connection.query("""
                    ALTER TABLE token ADD COLUMN role text NOT NULL DEFAULT 'assessor', ADD COLUMN expires bigint
                    """, logger: logger)
                try await connection.query("INSERT INTO fieldbook_schema (version) VALUES (5)", logger: logger)
            }
            if (version ?? 1) < 6 {
                try await createObjectTables(connection)
                try await connection.query("INSERT INTO fieldbook_schema (version) VALUES (6)", logger: logger)
            }
            if (version ?? 1) < 7 {
                // Key revocation (issue 31), as SQLite's "v5-revocation".
                try await connection.query("""
                    CREATE TABLE engagement_key (
                        engagement text PRIMARY KEY REFERENCES engagement(id), private_key bytea NOT NULL, last_hlc bigint NOT NULL)
                    """, logger: logger)
                try await connection.query("""
                    CREATE TABLE revocation (
                        engagement text NOT NULL REFERENCES engagement(id), site text NOT NULL,
                        last_valid bigint NOT NULL, hlc bigint NOT NULL, last_valid_counter bigint NOT NULL,
                        hash_counter bigint, reason_counter bigint, revoked bigint NOT NULL,
                        PRIMARY KEY (engagement, site))
                    """, logger: logger)
                try await connection.query("INSERT INTO fieldbook_schema (version) VALUES (7)", logger: logger)
            }
        }
    }

    /// Bytes stored as received (see `SQLiteMigrations.swift`, "v3-segments"): segments, their
    /// per-site spans, site keys, and each change's segment, hash and link; every old row
    /// becomes a segment of its own.
    private func migrateToSegments(_ connection: PostgresConnection) async throws {
        for statement in [
            """
            CREATE TABLE segment (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                engagement text NOT NULL REFERENCES engagement(id), payload bytea NOT NULL, count integer NOT NULL)
            """,
            """
            CREATE TABLE segment_site (segment bigint NOT NULL REFERENCES segment(seq), engagement text NOT NULL,
                site text NOT NULL, low bigint NOT NULL, high bigint NOT NULL, PRIMARY KEY (engagement, segment, site))
            """,
            """
            CREATE TABLE site_key (engagement text NOT NULL REFERENCES engagement(id), site text NOT NULL,
                public_key bytea NOT NULL, PRIMARY KEY (engagement, site))
            """,
            "ALTER TABLE change ADD COLUMN segment bigint REFERENCES segment(seq), ADD COLUMN hash bytea, ADD COLUMN prev bytea, ALTER COLUMN payload DROP NOT NULL",
        ] {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
        var old: [(Int64, String, String, Int64, ByteBuffer)] = []
        for try await row in try await connection.query("""
            SELECT seq, engagement, site, counter, payload FROM change WHERE payload IS NOT NULL ORDER BY seq
            """, logger: logger).decode((Int64, String, String, Int64, ByteBuffer).self) {
            old.append(row)
        }
        for (seq, engagement, site, counter, buffer) in old {
            let payload = Data(buffer: buffer)
            let batch = try ReceivedBatch(bytes: payload)
            guard let change = batch.changes.first else { continue }
            let segment = try await connection.query("""
                INSERT INTO segment (engagement, payload, count) VALUES (\(engagement), \(ByteBuffer(data: payload)), 1) RETURNING seq
                """, logger: logger).decode(Int64.self).first(where: { _ in true }) ?? 0
            try await connection.query("""
                INSERT INTO segment_site (segment, engagement, site, low, high) VALUES (\(segment), \(engagement), \(site), \(counter), \(counter))
                """, logger: logger)
            let prev: ByteBuffer? = change.prev.isEmpty ? nil : ByteBuffer(data: change.prev)
            try await connection.query("""
                UPDATE change SET segment = \(segment), hash = \(ByteBuffer(data: batch.hashes[0])), prev = \(prev), payload = NULL WHERE seq = \(seq)
                """, logger: logger)
            if change.publicKey.count == 32 {
                try await connection.query("""
                    INSERT INTO site_key (engagement, site, public_key) VALUES (\(engagement), \(site), \(ByteBuffer(data: change.publicKey)))
                    ON CONFLICT DO NOTHING
                    """, logger: logger)
            }
        }
        try await connection.query("CREATE INDEX segment_site_by_segment ON segment_site (engagement, segment)", logger: logger)
    }

    /// Evidence objects for `serve --objects database`: `object` names the visible ones, each
    /// pointing at the upload whose parts hold its bytes. Made whether or not a process uses them,
    /// so switching a deployment to `--objects database` needs no schema step.
    private func createObjectTables(_ connection: PostgresConnection) async throws {
        for statement in [
            """
            CREATE TABLE object (engagement text NOT NULL, sha256 text NOT NULL, size bigint NOT NULL, parts integer NOT NULL,
                upload text NOT NULL UNIQUE, created bigint NOT NULL, PRIMARY KEY (engagement, sha256))
            """,
            """
            CREATE TABLE object_part (upload text NOT NULL, part integer NOT NULL, bytes bytea NOT NULL, written bigint NOT NULL,
                PRIMARY KEY (upload, part))
            """,
            // Evidence is mostly compressed already (PDF, images, office files): stored out of
            // line, without PostgreSQL trying to compress it again.
            "ALTER TABLE object_part ALTER COLUMN bytes SET STORAGE EXTERNAL",
        ] {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
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
}

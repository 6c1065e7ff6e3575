import GRDB

/// The workspace's own facts, kept in the `meta` table.
enum Meta {
    enum Key: String {
        case engagement, site, assessor
        case schemaVersion = "schema_version"
        /// The last HLC timestamp this replica issued or received.
        case clock
        /// The last counter this replica used for its own changes.
        case counter
        /// The union of the version vectors of every bundle exported from here.
        case exported = "exported_vector"
        /// This replica's Ed25519 private key (base64); the site id is derived from it.
        case signingKey = "signing_key"
        /// Sites this workspace wrote as before a re-key, oldest first, space-separated; their
        /// keys are gone (`Workspace.rekey`).
        case formerSites = "former_sites"
        /// The engagement's key on its server (base64 Ed25519 public key), pinned at the first
        /// sync or clone: the one key whose revocations this workspace accepts.
        case engagementKey = "engagement_key"
        /// The server the engagement's key was pinned from.
        case engagementKeyServer = "engagement_key_server"
    }

    static func get(_ db: Database, _ key: Key) throws -> String? {
        guard try db.tableExists("meta") else { return nil }
        return try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key.rawValue])
    }

    static func set(_ db: Database, _ key: Key, _ value: String) throws {
        try db.execute(sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                       arguments: [key.rawValue, value])
    }
}

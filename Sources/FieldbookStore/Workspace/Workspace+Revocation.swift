import FieldbookModel
import FieldbookReplica
import Foundation
import GRDB

/// What pinning the engagement's key did (`Workspace.pinEngagementKey`).
public enum EngagementKeyPin: Sendable, Equatable {
    /// None was pinned: this one is now.
    case pinned
    /// The one pinned already.
    case matches
    /// Another key was pinned before, from `server`: this one is refused.
    case differs(pinned: Data, server: String?)
}

/// A revocation as this workspace holds it (`log --verify`, `status`).
public struct RevocationSummary: Sendable, Equatable, Encodable {
    public let site: String
    /// The assessor the site signed as, when its changes were seen here.
    public let assessor: String?
    public let lastValid: UInt64
    public let reason: String?
    /// When the engagement's key wrote it (RFC 3339).
    public let revokedAt: String
    /// The site's changes beyond `lastValid` this workspace held and took out of its log.
    public let withdrawn: Int
    /// Whether it revokes this workspace's own key (then only `fieldbook rekey` writes again).
    public let ownSite: Bool

    enum CodingKeys: String, CodingKey {
        case site, assessor, reason, withdrawn
        case lastValid = "last_valid", revokedAt = "revoked_at", ownSite = "own_site"
    }
}

extension Workspace {
    /// Pins the engagement's key on its server (base64 of the Ed25519 public key the server
    /// states), the one key whose revocations this workspace accepts. The first key seen is
    /// kept; a different one later is reported, never taken.
    public func pinEngagementKey(_ key: Data, server: String) throws -> EngagementKeyPin {
        try StoreFailure.mapping {
            try database.write { db in
                if let pinned = try Meta.get(db, .engagementKey).flatMap({ Data(base64Encoded: $0) }) {
                    return pinned == key ? .matches : .differs(pinned: pinned, server: try Meta.get(db, .engagementKeyServer))
                }
                try Meta.set(db, .engagementKey, key.base64EncodedString())
                try Meta.set(db, .engagementKeyServer, server)
                return .pinned
            }
        }
    }

    /// The engagement's key pinned here, if any.
    public func engagementKey() throws -> Data? {
        try read { db in try Meta.get(db, .engagementKey).flatMap { Data(base64Encoded: $0) } }
    }

    /// The revocations held, by site.
    public func revocations() throws -> [RevocationSummary] {
        let own = identity.site
        return try read { db in
            let points = try WorkspaceReceiverContext(db: db).revocations()
            return try points.keys.sorted().map { site in
                let point = points[site]!
                let id = "revocation:" + site.text
                let reason = try String.fetchOne(db, sql: "SELECT reason FROM revocation WHERE id = ?", arguments: [id])
                let assessor = try String.fetchOne(db, sql: "SELECT author FROM site_key WHERE site = ?", arguments: [site.text])
                let withdrawn = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM withdrawn_change WHERE site = ?", arguments: [site.text]) ?? 0
                return RevocationSummary(site: site.text, assessor: assessor, lastValid: point.lastValid, reason: reason,
                                         revokedAt: Timestamps.rfc3339(milliseconds: point.hlc.wallMilliseconds), withdrawn: withdrawn,
                                         ownSite: site == own)
            }
        }
    }

    /// Refuses a local write once this workspace's own key is revoked: the server and every
    /// colleague would refuse what it signs. Its work is kept; `fieldbook rekey` continues it.
    static func refuseIfRevoked(_ site: SiteID, in db: Database) throws {
        guard let point = try WorkspaceReceiverContext(db: db).revocations()[site] else { return }
        throw StoreError.stateConflict("This workspace's key (site \(site.text)) was revoked by the engagement's server after change \(site.text)/\(point.lastValid), so nothing it signs is accepted any more; run 'fieldbook rekey' to continue under a new key (your unsynced work is kept); nothing was written.")
    }

    /// After `fresh` was applied: takes out of the log the changes of every site a fresh
    /// revocation revokes beyond its last valid counter (received before the revocation, by
    /// bundle), keeps them in `withdrawn_change`, and rebuilds the entities they touched from
    /// what remains. This workspace's own changes stay (it re-keys to go on). Returns how many
    /// were withdrawn.
    static func withdrawRevoked(after fresh: [Change], ownSite: SiteID, in db: Database, now: UInt64) throws -> Int {
        guard fresh.contains(where: { $0.kind == .revocation }) else { return 0 }
        let points = try WorkspaceReceiverContext(db: db).revocations()
        var withdrawn = 0
        var touched: Set<EntityID> = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for (site, point) in points.sorted(by: { $0.key < $1.key }) where site != ownSite {
            let beyond = try ChangeRow.fetch(db, where: "site = ? AND counter > ?",
                                             arguments: [site.text, Int64(bitPattern: point.lastValid)], order: "counter")
            guard !beyond.isEmpty else { continue }
            for change in beyond {
                try db.execute(sql: """
                    INSERT INTO withdrawn_change (site, counter, revocation, withdrawn_at, body) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (site, counter) DO NOTHING
                    """, arguments: [site.text, Int64(bitPattern: change.dot.counter), "revocation:" + site.text, Int64(now),
                                     try encoder.encode(change)])
                touched.insert(change.entity)
            }
            try ChangeRow.deleteBeyond(point.lastValid, of: site, in: db)
            withdrawn += beyond.count
        }
        if !touched.isEmpty { try EntityRebuild(db: db).rebuild(touched) }
        return withdrawn
    }
}

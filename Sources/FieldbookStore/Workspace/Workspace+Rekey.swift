import FieldbookModel
import FieldbookReplica
import Foundation
import GRDB

/// What a re-key did (`fieldbook rekey`).
public struct RekeySummary: Sendable, Encodable {
    public let formerSite: String
    public let site: String
    /// The new key, for the server's administrator: `fieldbook-server token create --public-key`.
    public let publicKey: String
    /// This workspace's changes that no server or bundle had taken, written again under the new site.
    public let reauthored: Int
    /// Its changes that had left (pushed, or exported in a bundle): they stay as signed.
    public let handedOut: Int

    enum CodingKeys: String, CodingKey {
        case formerSite = "former_site", site, publicKey = "public_key", reauthored, handedOut = "handed_out"
    }
}

extension Workspace {
    /// Continues this workspace on a new site and key (a new laptop, or after a loss): a new
    /// Ed25519 key names the new site; the changes this site made that never left (no server's
    /// recorded vector and no exported bundle holds them) are taken out of the log and written
    /// again, in their order, as the new site's: the same edit, made when it was made (its
    /// HLC), superseding exactly what it superseded (a re-made change's dot in place of the
    /// old), so the engagement's state, conflicts included, is what it was, none of the
    /// assessor's work is lost and nothing the old key signed is left to send. The old private
    /// key is deleted, so it never signs again. Changes that had left stay as they are: colleagues and the server hold them
    /// signed. One transaction: a failure leaves the workspace as it was. The workspace must be
    /// opened again afterwards (`open`): this instance keeps the old identity.
    public func rekey(now: UInt64 = WallClock.now()) throws -> RekeySummary {
        let signer = ChangeSigner()
        let former = identity.site
        let next = WorkspaceIdentity(engagement: identity.engagement, site: signer.site, assessor: identity.assessor)
        let handedOut = try exchange.handedOutVector()
        return try StoreFailure.mapping {
            try database.write { db in
                // The site's history is a chain: what left is a prefix, what stayed the rest.
                let left = handedOut.entries[former]
                var highestLeft = max(left?.contiguous ?? 0, left?.exceptions.max() ?? 0)
                // Once the old key is revoked, what it signed beyond the revocation is refused
                // everywhere, even where it had gone: it is written again under the new key.
                if let revoked = try WorkspaceReceiverContext(db: db).revocations()[former] {
                    highestLeft = min(highestLeft, revoked.lastValid)
                }
                let unsynced = try ChangeRow.fetch(db, where: "site = ? AND counter > ?",
                                                   arguments: [former.text, Int64(bitPattern: highestLeft)], order: "counter")
                let kept = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM change WHERE site = ?", arguments: [former.text]) ?? 0
                try ChangeRow.deleteBeyond(highestLeft, of: former, in: db)
                try EntityRebuild(db: db).rebuild(Set(unsynced.map(\.entity)))

                try Meta.set(db, .site, signer.site.text)
                try Meta.set(db, .signingKey, signer.rawRepresentation.base64EncodedString())
                let formerSites = (try Meta.get(db, .formerSites)).map { $0 + " " } ?? ""
                try Meta.set(db, .formerSites, formerSites + former.text)
                try db.execute(sql: "INSERT INTO site_key (site, public_key, author) VALUES (?, ?, ?)",
                               arguments: [signer.site.text, signer.publicKey, identity.assessor])
                try Self.remake(unsynced, signedBy: signer, as: next, in: db)
                return RekeySummary(formerSite: former.text, site: signer.site.text, publicKey: signer.publicKey.base64EncodedString(),
                                    reauthored: unsynced.count, handedOut: kept - unsynced.count)
            }
        }
    }

    /// The sites this workspace wrote as before re-keys, oldest first.
    public func formerSites() throws -> [String] {
        try read { db in (try Meta.get(db, .formerSites) ?? "").split(separator: " ").map(String.init) }
    }

    /// Writes `changes` (one site's, in counter order) again as `identity`'s site from its first
    /// counter, chained and signed by `signer`, with their HLCs and what they superseded.
    private static func remake(_ changes: [Change], signedBy signer: ChangeSigner, as identity: WorkspaceIdentity, in db: Database) throws {
        let applier = ChangeApplier(db: db)
        let context = WorkspaceReceiverContext(db: db)
        var renamed: [Dot: Dot] = [:]
        var written: [Change] = []
        var previous = ChangeHash.genesis
        for (index, old) in changes.enumerated() {
            let dot = Dot(site: identity.site, counter: UInt64(index + 1))
            renamed[old.dot] = dot
            let made = Change(dot: dot, hlc: old.hlc, author: identity.assessor, entity: old.entity, kind: old.kind, field: old.field,
                              operation: old.operation, value: old.value, supersedes: old.supersedes.map { renamed[$0] ?? $0 })
            do {
                try ChangeIntake.checkLocal(made, context: context)
            } catch let refusal as ReplicaError {
                throw StoreError.refused(refusal)
            }
            let (change, hash) = signer.chain(made, after: previous, head: index == changes.count - 1)
            try applier.apply([change], hashes: [hash])
            previous = hash
            written.append(change)
        }
        try SegmentStore.repack(written, in: db)
        try Meta.set(db, .counter, String(changes.count))
    }
}

import FieldbookModel
import FieldbookReplica
import FieldbookWire
import Foundation

/// The engagement's own key on the server: an Ed25519 key made for the engagement on first
/// need, which signs its revocations and nothing else. Replicas pin its public key at their
/// first sync (`Fieldbook-Engagement-Key`), so a revocation signed by any other key, or by
/// another engagement's (a replay), is refused everywhere.
struct EngagementKeyRow: Sendable {
    let privateKey: Data
    /// The HLC of the last change it signed, so its next one is later.
    let lastHLC: UInt64
}

/// A revocation as the server keeps it beside its change log: what push checks read, and the
/// dots of the changes that wrote it (what the next revocation of the site supersedes).
struct RevocationRow: Sendable {
    let site: SiteID
    let lastValid: UInt64
    let hlc: UInt64
    /// The counter, on the engagement key's site, of the change that set `last_valid`.
    let lastValidCounter: UInt64
    /// Of the change that set `last_valid_hash`, when one did.
    let hashCounter: UInt64?
    /// Of the change that set `reason`, when one did.
    let reasonCounter: UInt64?
    let revokedAt: UInt64

    var point: RevocationPoint { RevocationPoint(lastValid: lastValid, hlc: HLCTimestamp(rawValue: hlc)) }
}

/// Why `key revoke` changed nothing, each told in one sentence.
public enum RevocationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The engagement has no such site: nothing of it accepted, no key of it bound.
    case unknownSite(String)
    /// `--after` names a change before ones the server already accepted and served.
    case beforeAccepted(String)
    /// The site is the engagement key's own.
    case ownKey(String)

    public var description: String {
        switch self {
        case .unknownSite(let why), .beforeAccepted(let why), .ownKey(let why): why
        }
    }
}

/// What `fieldbook-server key revoke` did.
public struct RevocationRecord: Sendable, Encodable, Equatable {
    public let engagement: String
    public let site: String
    /// The assessor the site was bound to, when it was.
    public let assessor: String?
    /// The site's last change that stays valid; every later one is refused.
    public let lastValid: UInt64
    /// The site's last change the server had accepted.
    public let accepted: UInt64
    public let reason: String?
    /// The tokens of the site's assessor on the engagement that stopped working.
    public let tokensRevoked: [String]
    /// The engagement key's site, which signed the revocation.
    public let signedBy: String
    /// The revocation's changes, as `site/counter`.
    public let changes: [String]

    enum CodingKeys: String, CodingKey {
        case engagement, site, assessor, reason, changes
        case lastValid = "last_valid", accepted, tokensRevoked = "tokens_revoked", signedBy = "signed_by"
    }
}

/// What the server does on `key revoke`, the same on every backend, in one write transaction
/// with the engagement held, so no push of the site slips between reading what it accepted and
/// the revocation: the revocation is written as changes signed by the engagement's key, checked
/// by the one receive path like any push, kept as a segment (pullers receive it like any
/// other change), recorded for push checks, and the site's assessor's tokens are revoked.
struct RevokeOperation: Sendable {
    /// The author the engagement key's changes carry.
    static let author = "fieldbook-server"

    let site: SiteID
    /// Nil: the last change the server accepted from the site.
    let lastValid: UInt64?
    let reason: String?
    let now: UInt64

    func run(on log: some SyncLog) async throws -> RevocationRecord {
        guard try await log.lockEngagement() else { throw ServerError.unknownEngagement(log.engagement) }
        let summaries = try await log.siteSummaries()
        let accepted = UInt64(summaries.first { $0.site == site.text }?.high ?? 0)
        let assessor = try await log.bindings(of: [site])[site]
        guard accepted > 0 || assessor != nil else {
            throw RevocationError.unknownSite("No site \(site.text) on engagement \(log.engagement): no change of it was accepted and no key of it bound; check the site id ('fieldbook status' shows a workspace's).")
        }
        let point = lastValid ?? accepted
        guard point >= accepted else {
            throw RevocationError.beforeAccepted("The server has accepted the changes of site \(site.text) up to \(site.text)/\(accepted) and served them to every replica; a revocation keeps at least those valid (use --after \(accepted) or later, or leave --after out); nothing was changed.")
        }
        let key = try await log.engagementKey(create: true)!
        let signer = try ChangeSigner(rawRepresentation: key.privateKey)
        guard signer.site != site else { throw RevocationError.ownKey("Site \(site.text) is the engagement's own key; it cannot be revoked.") }
        let held = try await log.revocationRows().first { $0.site == site }

        var clock = HybridLogicalClock(last: HLCTimestamp(rawValue: key.lastHLC))
        var counter = UInt64(summaries.first { $0.site == signer.site.text }?.high ?? 0)
        var previous = counter == 0 ? ChangeHash.genesis : try await log.heldLinks(in: [signer.site: counter...counter])[signer.site]?[counter]?.hash ?? ChangeHash.genesis
        let entity = EntityID.revocation(of: site.text)!
        var fields: [(RevocationField, FieldValue, UInt64?)] = [(.lastValid, .integer(Int64(point)), held?.lastValidCounter)]
        // The hash of the last valid change, when the server holds it: replicas that received it
        // with later changes, under a signature those carried, keep it covered by this one.
        if point > 0, let hash = try await log.heldLinks(in: [site: point...point])[site]?[point]?.hash {
            fields.append((.lastValidHash, .text(Hex.string(hash)), held?.hashCounter))
        }
        if let reason { fields.append((.reason, .text(reason), held?.reasonCounter)) }
        var changes: [Change] = []
        for (index, (field, value, superseded)) in fields.enumerated() {
            counter += 1
            let made = Change(dot: Dot(site: signer.site, counter: counter), hlc: clock.tick(now: now), author: Self.author, entity: entity,
                              kind: .revocation, field: field.name, value: value,
                              supersedes: superseded.map { [Dot(site: signer.site, counter: $0)] } ?? [])
            let (change, hash) = signer.chain(made, after: previous, head: index == fields.count - 1)
            changes.append(change)
            previous = hash
        }

        let batch = ReceivedBatch(changes)
        try await PushOperation(batch: batch, pusher: Self.author, now: now, maximumSkewMilliseconds: HybridLogicalClock.defaultMaximumSkew)
            .apply(on: log)
        try await log.storeRevocation(RevocationRow(
            site: site, lastValid: point, hlc: clock.last.rawValue, lastValidCounter: changes[0].dot.counter,
            hashCounter: changes.first { $0.field == RevocationField.lastValidHash.name }?.dot.counter ?? held?.hashCounter,
            reasonCounter: reason == nil ? held?.reasonCounter : changes.last?.dot.counter, revokedAt: now), keyClock: clock.last.rawValue)
        var tokens: [String] = []
        if let assessor { tokens = try await log.revokeTokens(of: assessor, now: now) }
        return RevocationRecord(engagement: log.engagement, site: site.text, assessor: assessor, lastValid: point, accepted: accepted,
                                reason: reason, tokensRevoked: tokens, signedBy: signer.site.text, changes: changes.map(\.dot.description))
    }
}

import FieldbookWire
import FieldbookModel
import FieldbookReplica
import Foundation

/// What `PushOperation` reads before checking a push, in a few queries: the held neighbours of
/// the batch's changes, the keys and bindings of its sites, the kinds of its entities.
struct PushLookups: ReceiverContext {
    var held: [SiteID: [UInt64: HeldLink]] = [:]
    var keys: [SiteID: Data] = [:]
    var bindings: [SiteID: String] = [:]
    var kinds: [EntityID: EntityKind] = [:]
    /// The engagement key's site (nil until the engagement has one: then every pushed
    /// revocation is refused) and the revocations it wrote.
    var revokingSite: SiteID? = nil
    var points: [SiteID: RevocationPoint] = [:]

    func held(_ site: SiteID, in range: ClosedRange<UInt64>) -> [UInt64: HeldLink] {
        (held[site] ?? [:]).filter { range.contains($0.key) }
    }

    func publicKey(of site: SiteID) -> Data? { keys[site] }
    /// The server binds sites to assessors itself (`PushValidation.checkAuthors`).
    func author(of site: SiteID) -> String? { bindings[site] }
    func kind(of entity: EntityID) -> EntityKind? { kinds[entity] }
    func revoker() -> SiteID? { revokingSite }
    func revocations() -> [SiteID: RevocationPoint] { points }
}

/// The checks every pushed batch passes before any of it is stored, the same for every
/// backend: the one receive path (`ChangeIntake`: schema, one content per dot, kinds, signed
/// history, clock skew; 422 when refused), then who may write as whom (403).
enum PushValidation {
    struct Outcome {
        let accepted: ChangeIntake.Accepted
        /// Sites this batch binds to the pusher.
        let bindings: [SiteID: String]
    }

    static func validate(_ batch: ReceivedBatch, pusher: String, now: UInt64, maximumSkewMilliseconds: UInt64,
                         lookups: PushLookups) throws -> Outcome {
        let accepted: ChangeIntake.Accepted
        do {
            // Bindings are checked below with the server's own sentences, so the intake checks
            // only that each site signs as one author within the batch.
            var unbound = lookups
            unbound.bindings = [:]
            accepted = try ChangeIntake.check(batch.changes, hashes: batch.hashes, context: unbound,
                                              clock: HybridLogicalClock(maximumSkewMilliseconds: maximumSkewMilliseconds), now: now)
        } catch let refusal as ReplicaError {
            if case .clockSkew = refusal { throw ServerError.changesAhead(refusal.description) }
            if case .siteRevoked = refusal { throw ServerError.forbidden(.keyRevoked, refusal.description) }
            throw ServerError.invalidChanges(refusal.description)
        }
        return Outcome(accepted: accepted, bindings: try checkAuthors(accepted.fresh, pusher: pusher, bound: lookups.bindings))
    }

    /// A site already bound writes only as its assessor; an unbound site is bound to the
    /// pusher, and only when its changes are the pusher's own. So a colleague relaying Ana's
    /// work cannot introduce a key for Ana.
    static func checkAuthors(_ changes: [Change], pusher: String, bound: [SiteID: String]) throws -> [SiteID: String] {
        var bound = bound
        var fresh: [SiteID: String] = [:]
        for change in changes {
            let site = change.dot.site
            if let owner = bound[site] {
                guard owner == change.author else {
                    throw ServerError.forbidden(.keyOfAnother, "Change \(change.dot) claims to be by '\(change.author.prefix(80))', but its key belongs to '\(owner.prefix(80))' on this server; nothing was accepted.")
                }
                continue
            }
            guard change.author == pusher else {
                throw ServerError.forbidden(.keyNotBound, "Change \(change.dot) by '\(change.author.prefix(80))' comes from a key this server has not bound to them; they must sync once with their own token (or an administrator binds their key with 'fieldbook-server token create --public-key'); nothing was accepted.")
            }
            bound[site] = pusher
            fresh[site] = pusher
        }
        return fresh
    }
}

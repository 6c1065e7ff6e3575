import FieldbookModel
import Foundation

/// What a receiver already holds, as the one receive path needs it. A workspace answers from
/// its SQLite log, the server from its own, a `Replica` from memory.
public protocol ReceiverContext {
    /// The held changes of `site` with counters in `range`: their hashes and history links.
    func held(_ site: SiteID, in range: ClosedRange<UInt64>) throws -> [UInt64: HeldLink]
    /// The site's public key, when it was seen before.
    func publicKey(of site: SiteID) throws -> Data?
    /// The author the site signs as, when known (nil lets the batch establish it).
    func author(of site: SiteID) throws -> String?
    /// The kind of an entity already held.
    func kind(of entity: EntityID) throws -> EntityKind?
    /// The kinds of those of `entities` already held; a store answers in a few queries.
    func kinds(of entities: Set<EntityID>) throws -> [EntityID: EntityKind]
    /// The site whose key signs the engagement's revocations (the engagement's key on its
    /// server, pinned by a workspace at its first sync); nil when none is known, and then
    /// every revocation is refused.
    func revoker() throws -> SiteID?
    /// The revocations held: per revoked site, its last valid counter and when that was written.
    func revocations() throws -> [SiteID: RevocationPoint]
}

/// Where a revoked site's valid history ends: its changes up to `lastValid` stand; later ones
/// are refused. `hlc` orders two revocations of one site (the later one holds); `lastValidHash`
/// is the hash of the change at `lastValid`, which the revocation vouches for.
public struct RevocationPoint: Sendable, Equatable {
    public let lastValid: UInt64
    public let hlc: HLCTimestamp
    public let lastValidHash: Data?

    public init(lastValid: UInt64, hlc: HLCTimestamp, lastValidHash: Data? = nil) {
        self.lastValid = lastValid
        self.hlc = hlc
        self.lastValidHash = lastValidHash
    }

    /// `held`, with the revocations `batch` carries from `revoker` (the engagement's key) laid
    /// over it, the later of two for one site holding. Revocations from any other site are left
    /// out here: step 6 refuses them.
    public static func points(in batch: [Change], from revoker: SiteID?, over held: [SiteID: RevocationPoint]) -> [SiteID: RevocationPoint] {
        guard let revoker else { return held }
        var points = held
        var parts: [EntityID: (lastValid: Change?, hash: Data?)] = [:]
        for change in batch where change.kind == .revocation && change.dot.site == revoker {
            if change.field == RevocationField.lastValid.name {
                parts[change.entity, default: (nil, nil)].lastValid = change
            } else if change.field == RevocationField.lastValidHash.name, case .text(let hex) = change.value {
                parts[change.entity, default: (nil, nil)].hash = Hex.bytes(hex).map { Data($0) }
            }
        }
        for (entity, part) in parts {
            guard let change = part.lastValid, case .integer(let value) = change.value, value >= 0,
                  let site = entity.revokedSite.flatMap(SiteID.init) else { continue }
            if let earlier = points[site], earlier.hlc > change.hlc { continue }
            points[site] = RevocationPoint(lastValid: UInt64(value), hlc: change.hlc, lastValidHash: part.hash)
        }
        return points
    }

    /// The changes revocations vouch for, with the hash each must have.
    public static func vouched(_ points: [SiteID: RevocationPoint]) -> [Dot: Data] {
        var vouched: [Dot: Data] = [:]
        for (site, point) in points where point.lastValid > 0 {
            if let hash = point.lastValidHash { vouched[Dot(site: site, counter: point.lastValid)] = hash }
        }
        return vouched
    }
}

extension ReceiverContext {
    public func revoker() throws -> SiteID? { nil }
    public func revocations() throws -> [SiteID: RevocationPoint] { [:] }

    public func kinds(of entities: Set<EntityID>) throws -> [EntityID: EntityKind] {
        var kinds: [EntityID: EntityKind] = [:]
        for entity in entities { kinds[entity] = try kind(of: entity) }
        return kinds
    }
}

/// A held change as far as history checks go.
public struct HeldLink: Sendable, Equatable {
    /// Its `ChangeHash`.
    public let hash: Data
    /// Its `prev` (empty for a legacy change).
    public let prev: Data

    public init(hash: Data, prev: Data) {
        self.hash = hash
        self.prev = prev
    }
}

/// The one receive path: every boundary where changes arrive (a `Replica`, a workspace's bundle
/// import, clone and pull, and the server's push on either backend) passes a batch through
/// `ChangeIntake.check` before applying anything, in this order, so a batch is refused whole
/// for the first thing wrong with it:
///
/// 1. schema: each change's field, operation, value and id shape (cheap, so a malformed change
///    is reported as such, not as a bad signature);
/// 2. identity: one content per dot within the batch and against what is held (by hash), one
///    kind per entity;
/// 3. history: every new change is covered by a signature it can be checked against
///    (`ChainVerifier`);
/// 4. authorship: each site signs as one author;
/// 5. clock: no change stamped beyond the skew bound ahead of `now` (other sites only);
/// 6. revocation: a revocation only by the engagement's key, and no change of a revoked site
///    beyond the last one its revocation (held, or in the batch) keeps valid.
///
/// It is the only check: what it accepts is merged as it is, by `ReplicaState` in memory and by
/// the workspace's and the server's logs, none of which checks again. A change made here
/// (`Replica.write`, `Workspace.write`) passes `checkLocal` before it is signed.
public enum ChangeIntake {
    /// A batch that passed every check.
    public struct Accepted: Sendable {
        /// The changes new to the receiver, the first copy of each dot, in batch order.
        public var fresh: [Change] = []
        /// `fresh[i]`'s hash.
        public var hashes: [Data] = []
        /// Changes the receiver held already (or that the batch carried twice).
        public var duplicates = 0
        /// Each site's key and author as this batch shows them (for sites with fresh changes).
        public var keys: [SiteID: Data] = [:]
        /// Each site's author, beside `keys`.
        public var authors: [SiteID: String] = [:]
        /// The kinds of the entities of `fresh` that the receiver held before the batch (asked
        /// once here, so the store's materialiser need not ask again).
        public var heldKinds: [EntityID: EntityKind] = [:]
    }

    /// `hashes`, when given, are the batch's hashes as the decoder computed them.
    public static func check(_ batch: [Change], hashes: [Data]? = nil, context: some ReceiverContext,
                             clock: HybridLogicalClock?, localSite: SiteID? = nil, now: UInt64) throws -> Accepted {
        for change in batch { try ChangeValidation.validate(change) }
        let hashes = hashes ?? batch.map(ChangeHash.of)

        // One content per dot: within the batch, then against what is held, site by site.
        var accepted = Accepted()
        var bySite: [SiteID: [Int]] = [:]
        // A batch as a server or a bundle writes it holds each site's changes in rising counter
        // order, and then no dot can repeat: the per-dot index is only built for other batches.
        // Runs of one site's changes are grouped a run at a time, not a lookup per change.
        var runSite: SiteID?
        var run: [Int] = []
        for (index, change) in batch.enumerated() {
            if change.dot.site != runSite {
                if let runSite { bySite[runSite, default: []].append(contentsOf: run) }
                runSite = change.dot.site
                run.removeAll(keepingCapacity: true)
            }
            run.append(index)
        }
        if let runSite { bySite[runSite, default: []].append(contentsOf: run) }
        var rising = true
        for indexes in bySite.values where rising {
            for position in indexes.indices.dropFirst() where batch[indexes[position - 1]].dot.counter >= batch[indexes[position]].dot.counter {
                rising = false
                break
            }
        }
        if !rising {
            bySite = [:]
            var firstIndex: [Dot: Int] = [:]
            firstIndex.reserveCapacity(batch.count)
            for (index, change) in batch.enumerated() {
                if let earlier = firstIndex[change.dot] {
                    guard hashes[earlier] == hashes[index] else { throw ReplicaError.dotReused(change.dot) }
                    accepted.duplicates += 1
                    continue
                }
                firstIndex[change.dot] = index
                bySite[change.dot.site, default: []].append(index)
            }
        }
        var held: [SiteID: [UInt64: HeldLink]] = [:]
        var isFresh = [Bool](repeating: false, count: batch.count)
        for (site, indexes) in bySite {
            let counters = indexes.map { batch[$0].dot.counter }
            let low = counters.min()!, high = counters.max()!
            let known = try context.held(site, in: (low > 1 ? low - 1 : low)...(high + 1))
            held[site] = known
            for index in indexes {
                if let link = known[batch[index].dot.counter] {
                    guard link.hash == hashes[index] else { throw ReplicaError.dotReused(batch[index].dot) }
                    accepted.duplicates += 1
                } else {
                    isFresh[index] = true
                }
            }
        }

        var kinds = try context.kinds(of: Set(batch.indices.lazy.filter { isFresh[$0] }.map { batch[$0].entity }))
        accepted.heldKinds = kinds
        for (index, change) in batch.enumerated() where isFresh[index] {
            if let known = kinds[change.entity], known != change.kind {
                throw ReplicaError.kindMismatch(change.entity, existing: known, incoming: change.kind)
            }
            kinds[change.entity] = change.kind
        }

        // Revocations held and carried, read once: step 3 takes what they vouch for, step 6 what they refuse.
        let revoker = try context.revoker()
        let points = RevocationPoint.points(in: batch, from: revoker, over: try context.revocations())
        try ChainVerifier.verify(batch, hashes: hashes, sites: bySite, isFresh: isFresh, held: held, context: context,
                                 vouched: RevocationPoint.vouched(points), keys: &accepted.keys)

        for (site, indexes) in bySite {
            var signer = try context.author(of: site)
            for index in indexes {
                let change = batch[index]
                guard let known = signer else { signer = change.author; continue }
                guard known == change.author else {
                    throw ReplicaError.authorMismatch(change.dot, claimed: change.author, signer: known)
                }
            }
            if indexes.contains(where: { isFresh[$0] }) { accepted.authors[site] = signer }
        }

        if let clock {
            for (index, change) in batch.enumerated() where isFresh[index] && change.dot.site != localSite {
                do { try clock.check(change.hlc, from: change.dot.site, now: now) } catch { throw ReplicaError.clockSkew(error) }
            }
        }
        try checkRevocations(batch, isFresh: isFresh, points: points, revoker: revoker)
        for (index, change) in batch.enumerated() where isFresh[index] {
            accepted.fresh.append(change)
            accepted.hashes.append(hashes[index])
        }
        accepted.keys = accepted.keys.filter { accepted.authors[$0.key] != nil }
        return accepted
    }

    /// Step 6: revocations come from the engagement's key only, and what they revoke is refused.
    /// Only fresh changes are checked: a held change was accepted before the revocation came
    /// (the store withdraws those beyond the point when it arrives).
    static func checkRevocations(_ batch: [Change], isFresh: [Bool], points: [SiteID: RevocationPoint], revoker: SiteID?) throws {
        for (index, change) in batch.enumerated() where isFresh[index] && change.kind == .revocation {
            guard let revoker, change.dot.site == revoker else {
                throw ReplicaError.untrustedRevocation(change.dot, signer: change.dot.site.text, trusted: revoker?.text)
            }
        }
        guard !points.isEmpty else { return }
        for (index, change) in batch.enumerated() where isFresh[index] {
            if let point = points[change.dot.site], change.dot.counter > point.lastValid {
                throw ReplicaError.siteRevoked(change.dot, lastValid: point.lastValid)
            }
        }
    }

    /// Checks a change made here, before it is signed: schema (step 1) and the kind its entity
    /// already has (step 2). The rest holds by construction: the writer takes the next dot of
    /// its own site, chains and signs the change as its own author, on its own clock.
    public static func checkLocal(_ change: Change, context: some ReceiverContext) throws {
        try ChangeValidation.validate(change)
        if let known = try context.kind(of: change.entity), known != change.kind {
            throw ReplicaError.kindMismatch(change.entity, existing: known, incoming: change.kind)
        }
    }
}

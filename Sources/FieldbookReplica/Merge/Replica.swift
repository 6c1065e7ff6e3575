import FieldbookModel
import Foundation

/// One replica in memory: its signing key (and so its site), clock and merged state. Local
/// edits become chained, signed changes stamped by the clock; remote batches pass the one
/// receive path (`ChangeIntake`), then are merged.
public struct Replica: Sendable {
    public let signer: ChangeSigner
    public var site: SiteID { signer.site }
    /// The assessor its local edits are written as.
    public let author: String
    public private(set) var clock: HybridLogicalClock
    public private(set) var state = ReplicaState()
    /// The counter of this site's latest change: the next dot is one above.
    public private(set) var lastCounter: UInt64 = 0
    /// Every held change's hash, and each site's key and author: what the receive path asks.
    private var memory = Memory()

    public init(signer: ChangeSigner = ChangeSigner(), author: String, clock: HybridLogicalClock = HybridLogicalClock()) {
        self.signer = signer
        self.author = author
        self.clock = clock
    }

    /// Makes and applies the change for a local edit at wall time `now`; each write is a
    /// chain head, signed. Refused (nothing written) when the change fails
    /// `ChangeIntake.checkLocal`.
    @discardableResult
    public mutating func write(_ edit: LocalEdit, now: UInt64) throws -> Change {
        let dot = Dot(site: site, counter: lastCounter + 1)
        let previous = lastCounter == 0 ? ChangeHash.genesis : memory.links[Dot(site: site, counter: lastCounter)]?.hash ?? ChangeHash.genesis
        let made = try ChangeFactory.change(for: edit, dot: dot, hlc: clock.tick(now: now), author: author, reading: state)
        try ChangeIntake.checkLocal(made, context: memory)
        let (change, hash) = signer.chain(made, after: previous, head: true)
        state.apply([change])
        memory.remember(change, hash: hash)
        memory.keys[site] = signer.publicKey
        memory.authors[site] = author
        lastCounter += 1
        return change
    }

    /// Receives a remote batch at wall time `now`: refused whole if any change is unsigned,
    /// forged, cut from its history, stamped too far in the future or invalid; otherwise
    /// merged. Returns the new changes.
    @discardableResult
    public mutating func receive(_ batch: [Change], hashes: [Data]? = nil, now: UInt64) throws(ReplicaError) -> [Change] {
        let accepted: ChangeIntake.Accepted
        do {
            accepted = try ChangeIntake.check(batch, hashes: hashes, context: memory, clock: clock, localSite: site, now: now)
        } catch let error as ReplicaError {
            throw error
        } catch {
            throw .malformed("\(error)")
        }
        let fresh = state.apply(accepted.fresh)
        for (change, hash) in zip(accepted.fresh, accepted.hashes) { memory.remember(change, hash: hash) }
        memory.keys.merge(accepted.keys) { old, _ in old }
        memory.authors.merge(accepted.authors) { old, _ in old }
        // Our own changes can come back (a restored laptop): never reuse their counters.
        lastCounter = max(lastCounter, state.vector.highest(for: site))
        if let latest = accepted.fresh.max(by: { $0.hlc < $1.hlc }) {
            // Checked above, so this cannot throw.
            try? clock.receive(latest.hlc, from: latest.dot.site, now: now)
        }
        return fresh
    }

    /// The held changes a replica with `vector` lacks, ready to send: with the signatures of
    /// this replica's own changes kept where they were made.
    public func missing(from vector: VersionVector) -> [Change] {
        state.missing(from: vector)
    }

    private struct Memory: ReceiverContext, Sendable {
        var links: [Dot: HeldLink] = [:]
        var keys: [SiteID: Data] = [:]
        var authors: [SiteID: String] = [:]
        var kinds: [EntityID: EntityKind] = [:]

        mutating func remember(_ change: Change, hash: Data) {
            links[change.dot] = HeldLink(hash: hash, prev: change.prev)
            kinds[change.entity] = change.kind
        }

        func held(_ site: SiteID, in range: ClosedRange<UInt64>) -> [UInt64: HeldLink] {
            var found: [UInt64: HeldLink] = [:]
            if range.count <= 4096 {
                for counter in range { if let link = links[Dot(site: site, counter: counter)] { found[counter] = link } }
            } else {
                for (dot, link) in links where dot.site == site && range.contains(dot.counter) { found[dot.counter] = link }
            }
            return found
        }

        func publicKey(of site: SiteID) -> Data? { keys[site] }
        func author(of site: SiteID) -> String? { authors[site] }
        func kind(of entity: EntityID) -> EntityKind? { kinds[entity] }
    }
}

import FieldbookModel

/// One replica in memory: its signing key (and so its site), clock and merged state. Local
/// edits become signed changes stamped by the clock; remote batches are checked for
/// signatures and clock skew, then merged.
public struct Replica: Sendable {
    public let signer: ChangeSigner
    public var site: SiteID { signer.site }
    public let author: String
    public private(set) var clock: HybridLogicalClock
    public private(set) var state = ReplicaState()
    public private(set) var lastCounter: UInt64 = 0

    public init(signer: ChangeSigner = ChangeSigner(), author: String, clock: HybridLogicalClock = HybridLogicalClock()) {
        self.signer = signer
        self.author = author
        self.clock = clock
    }

    /// Makes and applies the change for a local edit at wall time `now`.
    @discardableResult
    public mutating func write(_ edit: LocalEdit, now: UInt64) throws -> Change {
        let dot = Dot(site: site, counter: lastCounter + 1)
        let change = signer.sign(try ChangeFactory.change(for: edit, dot: dot, hlc: clock.tick(now: now), author: author, reading: state))
        try state.apply([change])
        lastCounter += 1
        return change
    }

    /// Receives a remote batch at wall time `now`: refused whole if any change is unsigned,
    /// forged, stamped too far in the future or invalid; otherwise merged. Returns the new changes.
    @discardableResult
    public mutating func receive(_ batch: [Change], now: UInt64) throws(ReplicaError) -> [Change] {
        // Cheap checks first: a malformed change is reported as such, not as a bad signature.
        for change in batch { try ChangeValidation.validate(change) }
        try ChangeSignature.verifyAll(batch)
        for change in batch where change.dot.site != site {
            do { try clock.check(change.hlc, from: change.dot.site, now: now) } catch { throw .clockSkew(error) }
        }
        let fresh = try state.apply(batch)
        // Our own changes can come back (a restored laptop): never reuse their counters.
        lastCounter = max(lastCounter, state.vector.highest(for: site))
        if let latest = batch.max(by: { $0.hlc < $1.hlc }) {
            // Checked above, so this cannot throw.
            try? clock.receive(latest.hlc, from: latest.dot.site, now: now)
        }
        return fresh
    }
}

import FieldbookModel
import Foundation

/// The history rules of `ChangeIntake`'s third step. Each site's changes form a hash chain
/// (each names its predecessor's `ChangeHash` in `prev`), and a site signs only chain heads:
/// the last change of each write and every `ChangeSigner.checkpointInterval`-th change. A new
/// change is accepted when it is
/// - a head whose signature verifies with the site's key, or
/// - the predecessor, by hash, of an accepted change in the batch or of a held one, or
/// - the last valid change of a revoked site, by the hash its revocation vouches for,
/// - or a legacy change (format 3) whose own signature verifies.
///
/// So one signature covers every change behind it, a receiver checks a hash for every change
/// and a signature only at the end of each run of a site's changes, and nothing it holds is
/// checked again. A change dropped from the middle of a run leaves the changes before it
/// uncovered, and two changes swapped, altered or moved to another chain break the hashes:
/// either way the batch is refused, naming author and change.
enum ChainVerifier {
    static func verify(_ batch: [Change], hashes: [Data], sites: [SiteID: [Int]], isFresh: [Bool],
                       held: [SiteID: [UInt64: HeldLink]], context: some ReceiverContext, vouched: [Dot: Data] = [:],
                       keys: inout [SiteID: Data]) throws {
        var signatureChecks: [SignatureCheck] = []
        var plans: [(site: SiteID, entries: [UInt64: Int], held: [UInt64: HeldLink])] = []
        for (site, indexes) in sites {
            let key = try siteKey(site, batch: batch, indexes: indexes, context: context)
            keys[site] = key
            var entries: [UInt64: Int] = [:]
            for index in indexes { entries[batch[index].dot.counter] = index }
            let held = held[site] ?? [:]
            for index in indexes {
                let change = batch[index]
                // A copy of a held change is not applied again, but a signature it carries is
                // still checked: a batch carrying a forged signature is refused, whatever else.
                guard isFresh[index] else {
                    if change.signature.count == 64, let key {
                        signatureChecks.append(SignatureCheck(change: change.with(publicKey: key, signature: change.signature),
                                                              hash: change.isChained ? hashes[index] : nil, key: key))
                    }
                    continue
                }
                if !change.isChained {
                    guard let key, change.signature.count == 64 else { throw ReplicaError.unsigned(change.dot, author: change.author) }
                    signatureChecks.append(SignatureCheck(change: change.with(publicKey: key, signature: change.signature), hash: nil, key: key))
                    continue
                }
                // The link backwards must continue what the batch (or, failing that, the
                // receiver) holds before it. Within the batch a mismatch means the change before
                // was altered after its signer linked it; against what is held, a fork.
                let counter = change.dot.counter
                if counter > 1, let before = entries[counter - 1] {
                    guard hashes[before] == change.prev else { throw ReplicaError.forged(batch[before].dot, author: batch[before].author) }
                } else if let expected = counter == 1 ? ChangeHash.genesis : held[counter - 1]?.hash, expected != change.prev {
                    throw ReplicaError.brokenHistory(change.dot, author: change.author)
                }
                if change.signature.count == 64 {
                    guard let key else { throw ReplicaError.unsigned(change.dot, author: change.author) }
                    signatureChecks.append(SignatureCheck(change: change, hash: hashes[index], key: key))
                } else if !change.signature.isEmpty {
                    throw ReplicaError.unsigned(change.dot, author: change.author)
                }
            }
            plans.append((site, entries, held))
        }
        try ChangeSignature.concurrently(signatureChecks, minimumPerWorker: 32) { check throws(ReplicaError) in
            if let hash = check.hash {
                try ChangeSignature.verifyHead(check.change, hash: hash, key: check.key)
            } else {
                try ChangeSignature.verify(check.change)
            }
        }
        // Coverage: walk each site's counters downwards; a change is covered by its own (now
        // verified) signature or by the covered change after it naming its hash.
        for plan in plans {
            var coveredAbove: Data?  // the prev of the covered change at counter + 1, if any
            var previousCounter: UInt64?
            for counter in plan.entries.keys.sorted(by: >) {
                let index = plan.entries[counter]!
                let change = batch[index]
                if previousCounter != counter + 1 {
                    // The change after this one is not in the batch: held, or missing.
                    coveredAbove = plan.held[counter + 1].flatMap { $0.prev.isEmpty ? nil : $0.prev }
                }
                previousCounter = counter
                let covered = !isFresh[index] || !change.isChained || change.signature.count == 64 || coveredAbove == hashes[index]
                    || vouched[change.dot] == hashes[index]
                guard covered else {
                    // With a successor naming another hash, this change was altered; with none, cut off.
                    throw coveredAbove == nil ? ReplicaError.unverifiable(change.dot, author: change.author)
                        : ReplicaError.forged(change.dot, author: change.author)
                }
                coveredAbove = change.isChained ? change.prev : nil
            }
        }
    }

    /// The site's key: the one the batch carries (all copies alike, and naming the site), or
    /// the one seen before.
    private static func siteKey(_ site: SiteID, batch: [Change], indexes: [Int], context: some ReceiverContext) throws -> Data? {
        var key: Data?
        for index in indexes where !batch[index].publicKey.isEmpty {
            let carried = batch[index].publicKey
            if let key, key == carried { continue }  // named the site already: hashed once, not per change
            guard key == nil, carried.count == 32, SiteID(publicKey: carried) == site else {
                throw ReplicaError.unsigned(batch[index].dot, author: batch[index].author)
            }
            key = carried
        }
        return try key ?? context.publicKey(of: site)
    }

    private struct SignatureCheck: Sendable {
        let change: Change
        let hash: Data?
        let key: Data
    }
}

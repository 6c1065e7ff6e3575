import Crypto
import Dispatch
import Foundation

/// Checks that a change was signed by the key its site is derived from, over exactly its
/// content. Every boundary where changes arrive (a replica receiving, a workspace importing
/// or pulling, the server accepting a push) checks this before anything is applied.
public enum ChangeSignature {
    /// A domain tag, so a change's signature can never be mistaken for another message's.
    static let domain = Data("fieldbook-change-v1\n".utf8)

    /// What is signed: the domain tag, then the change without key or signature, in the
    /// binary batch encoding (deterministic for one change), then the key.
    public static func signedBytes(_ change: Change) -> Data {
        var bytes = domain
        bytes.append(BinaryBatchCodec.encodeUnsigned(change.with(publicKey: Data(), signature: Data())))
        bytes.append(change.publicKey)
        return bytes
    }

    public static func verify(_ change: Change) throws(ReplicaError) {
        guard change.publicKey.count == 32, change.signature.count == 64,
              SiteID(publicKey: change.publicKey) == change.dot.site,
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: change.publicKey) else {
            throw .unsigned(change.dot, author: change.author)
        }
        guard key.isValidSignature(change.signature, for: signedBytes(change)) else {
            throw .forged(change.dot, author: change.author)
        }
    }

    /// Verifies every change's signature, spread over the processor's cores (a verification
    /// costs tens of microseconds; a pull brings thousands). Reports the first failure in order.
    public static func verifyAll(_ changes: [Change]) throws(ReplicaError) {
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, max(1, changes.count / 256))
        guard workers > 1 else {
            for change in changes { try verify(change) }
            return
        }
        let size = (changes.count + workers - 1) / workers
        let failures = FirstFailures(count: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for change in changes[(worker * size)..<min(changes.count, (worker + 1) * size)] {
                do throws(ReplicaError) { try verify(change) } catch { failures.record(error, at: worker); return }
            }
        }
        if let first = failures.first { throw first }
    }

    /// Checks every change, and that each site signs as one author throughout (`knownAuthor`:
    /// what earlier batches established, site by site). Returns the authors this batch adds.
    @discardableResult
    public static func verify(_ changes: [Change], knownAuthor: (SiteID) throws -> String? = { _ in nil }) throws -> [SiteID: String] {
        try verifyAll(changes)
        var authors: [SiteID: String] = [:]
        for change in changes {
            let site = change.dot.site
            let signer: String
            if let seen = authors[site] {
                signer = seen
            } else if let known = try knownAuthor(site) {
                signer = known
            } else {
                signer = change.author
            }
            guard signer == change.author else {
                throw ReplicaError.authorMismatch(change.dot, claimed: change.author, signer: signer)
            }
            authors[site] = signer
        }
        return authors
    }
}

/// Each worker's first failure, read once all have finished.
private final class FirstFailures: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [ReplicaError?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func record(_ error: ReplicaError, at worker: Int) { lock.withLock { slots[worker] = error } }

    var first: ReplicaError? { lock.withLock { slots.lazy.compactMap { $0 }.first } }
}

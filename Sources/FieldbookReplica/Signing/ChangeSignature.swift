import Crypto
import Dispatch
import Foundation

/// The two kinds of signature a change may carry: a chain head's, over its `ChangeHash` (format
/// 4 on, covering the site's history before it), and a legacy change's, over its own content
/// alone (format 3). `ChangeIntake` decides which changes need which check.
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

    /// Checks a legacy change's own signature.
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

    /// What a chain head's signature covers: a domain tag and the head's `ChangeHash`.
    public static func headMessage(_ hash: Data) -> Data {
        var message = headDomain
        message.append(hash)
        return message
    }

    static let headDomain = Data("fieldbook-head-v1\n".utf8)

    /// Checks a chain head's signature over its hash with the site's key.
    static func verifyHead(_ change: Change, hash: Data, key: Data) throws(ReplicaError) {
        guard key.count == 32, SiteID(publicKey: key) == change.dot.site,
              let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: key) else {
            throw .unsigned(change.dot, author: change.author)
        }
        guard publicKey.isValidSignature(change.signature, for: headMessage(hash)) else {
            throw .forged(change.dot, author: change.author)
        }
    }

    /// Runs `check` for each item, spread over the processor's cores when there are many (a
    /// verification costs tens of microseconds). Reports the first failure in order.
    static func concurrently<Item: Sendable>(_ items: [Item], minimumPerWorker: Int = 64,
                                             _ check: @Sendable (Item) throws(ReplicaError) -> Void) throws(ReplicaError) {
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, max(1, items.count / minimumPerWorker))
        guard workers > 1 else {
            for item in items { try check(item) }
            return
        }
        let size = (items.count + workers - 1) / workers
        let failures = FirstFailures(count: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for item in items[(worker * size)..<min(items.count, (worker + 1) * size)] {
                do throws(ReplicaError) { try check(item) } catch { failures.record(error, at: worker); return }
            }
        }
        if let first = failures.first { throw first }
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

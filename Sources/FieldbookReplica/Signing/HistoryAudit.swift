import Foundation

/// Re-checks a whole stored history from scratch (`fieldbook log --verify`): every change's
/// hash recomputed from its content, every link, every signature kept, and that every change
/// is covered by a signature, as `ChainVerifier` requires of a batch. Trusts nothing stored
/// but the content, the links, the signatures and each site's key.
public enum HistoryAudit {
    /// A change the audit found wrong, and what is wrong with it.
    public struct Failure: Sendable {
        public let change: Change
        public let error: ReplicaError
    }

    /// `changes`: every held change; `keys` and `authors`: each site's key and the author it signs as;
    /// `vouched`: changes a revocation vouches for by hash (the last valid one of a revoked site).
    public static func audit(_ changes: [Change], keys: [SiteID: Data], authors: [SiteID: String], vouched: [Dot: Data] = [:]) -> [Failure] {
        var bySite: [SiteID: [Change]] = [:]
        for change in changes { bySite[change.dot.site, default: []].append(change) }
        var failures: [Failure] = []
        var pending: [(Change, Data?, Data)] = []
        var hashesBySite: [SiteID: [UInt64: Data]] = [:]
        for (site, list) in bySite {
            let sorted = list.sorted { $0.dot.counter < $1.dot.counter }
            var hashes: [UInt64: Data] = [:]
            for change in sorted { hashes[change.dot.counter] = ChangeHash.of(change) }
            hashesBySite[site] = hashes
            guard let key = keys[site], key.count == 32, SiteID(publicKey: key) == site else {
                failures += sorted.map { Failure(change: $0, error: .unsigned($0.dot, author: $0.author)) }
                continue
            }
            for change in sorted {
                if let signer = authors[site], signer != change.author {
                    failures.append(Failure(change: change, error: .authorMismatch(change.dot, claimed: change.author, signer: signer)))
                }
                let counter = change.dot.counter
                // A broken link between two held changes shows below as the earlier one not
                // being covered; only a first change's link is checked here.
                if change.isChained && counter == 1 && change.prev != ChangeHash.genesis {
                    failures.append(Failure(change: change, error: .brokenHistory(change.dot, author: change.author)))
                }
                if change.signature.count == 64 {
                    pending.append((change.with(publicKey: key, signature: change.signature), change.isChained ? hashes[counter] : nil, key))
                } else if !change.isChained {
                    failures.append(Failure(change: change, error: .unsigned(change.dot, author: change.author)))
                }
            }
        }
        let checks = pending
        let signatureFailures = SignatureFailures()
        let workers = max(1, min(checks.count, ProcessInfo.processInfo.activeProcessorCount * 4))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            while index < checks.count {
                let (change, hash, key) = checks[index]
                do throws(ReplicaError) {
                    if let hash { try ChangeSignature.verifyHead(change, hash: hash, key: key) } else { try ChangeSignature.verify(change) }
                } catch {
                    signatureFailures.add(Failure(change: change, error: error))
                }
                index += workers
            }
        }
        let badSignatures = Set(signatureFailures.all.map(\.change.dot))
        failures += signatureFailures.all
        // Coverage, per site from the top: a change is covered by its own valid signature, or
        // by the covered change after it naming its hash.
        for (site, list) in bySite where keys[site].map({ SiteID(publicKey: $0) == site }) == true {
            let hashes = hashesBySite[site]!
            var byCounter: [UInt64: Change] = [:]
            for change in list { byCounter[change.dot.counter] = change }
            var covered: Set<UInt64> = []
            for counter in byCounter.keys.sorted(by: >) {
                let change = byCounter[counter]!
                guard change.isChained else { continue }
                if change.signature.count == 64 && !badSignatures.contains(change.dot) { covered.insert(counter); continue }
                if let hash = vouched[change.dot], hash == hashes[counter] { covered.insert(counter); continue }
                let next = byCounter[counter + 1]
                if let next, next.isChained, covered.contains(counter + 1), next.prev == hashes[counter] {
                    covered.insert(counter)
                    continue
                }
                guard !badSignatures.contains(change.dot) else { continue }
                // The signed change after it names another hash: this one was altered. With
                // nothing signed after it, it is covered by nothing.
                let altered = next.map { $0.isChained && covered.contains(counter + 1) } ?? false
                failures.append(Failure(change: change, error: altered ? .forged(change.dot, author: change.author)
                                                                       : .unverifiable(change.dot, author: change.author)))
            }
        }
        return failures.sorted { $0.change.dot < $1.change.dot }
    }
}

/// Failures collected from several workers.
private final class SignatureFailures: @unchecked Sendable {
    private let lock = NSLock()
    private var failures: [HistoryAudit.Failure] = []

    func add(_ failure: HistoryAudit.Failure) { lock.withLock { failures.append(failure) } }
    var all: [HistoryAudit.Failure] { lock.withLock { failures } }
}

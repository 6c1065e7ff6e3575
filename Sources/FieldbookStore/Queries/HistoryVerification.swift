import FieldbookModel
import FieldbookReplica
import Foundation
import GRDB

/// The outcome of re-checking the whole log: what `fieldbook log --verify` reports.
public struct HistoryVerification: Sendable {
    /// A change whose signature or hash link does not hold, and why.
    public struct Failure: Sendable {
        public let dot: Dot
        public let author: String
        public let entity: EntityID
        public let reason: String
    }

    public let checked: Int
    /// Changes that verified, by author.
    public let verifiedByAuthor: [String: Int]
    public let failures: [Failure]
}

extension Workspace {
    /// Re-checks every stored change from its content up (`HistoryAudit`): hashes, links,
    /// signatures, that each is covered by a signature, and that each site signs as one
    /// author. A change altered in the database file, or a key swapped, shows up here by
    /// author and change.
    public func verifyHistory() throws -> HistoryVerification {
        try read { db in
            var keys: [SiteID: Data] = [:], authors: [SiteID: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT site, public_key, author FROM site_key") {
                guard let site = SiteID(row["site"] as String) else { continue }
                keys[site] = row["public_key"]
                authors[site] = row["author"]
            }
            let changes = try ChangeRow.fetch(db, order: "site, counter")
            // The last valid change of a revoked site may have lost the signature that covered it
            // (it went with the withdrawn changes after it): its revocation vouches for it.
            let vouched = RevocationPoint.vouched(try WorkspaceReceiverContext(db: db).revocations())
            let failures = HistoryAudit.audit(changes, keys: keys, authors: authors, vouched: vouched)
            let failed = Set(failures.map(\.change.dot))
            var verified: [String: Int] = [:]
            for change in changes where !failed.contains(change.dot) { verified[change.author, default: 0] += 1 }
            return HistoryVerification(checked: changes.count, verifiedByAuthor: verified, failures: failures.map {
                HistoryVerification.Failure(dot: $0.change.dot, author: $0.change.author, entity: $0.change.entity, reason: $0.error.description)
            })
        }
    }
}

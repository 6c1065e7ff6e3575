import FieldbookModel
import FieldbookReplica
import GRDB

/// The outcome of checking every change in the log against its signature: what `fieldbook
/// log --verify` reports.
public struct HistoryVerification: Sendable {
    public struct Failure: Sendable {
        public let dot: Dot
        public let author: String
        public let entity: EntityID
        public let reason: String
    }

    public let checked: Int
    /// Changes with a valid signature, by author.
    public let verifiedByAuthor: [String: Int]
    public let failures: [Failure]
}

extension Workspace {
    /// Re-checks every stored change: its signature, that its key names its site, and that
    /// its site always signs as the same author. A change altered in the database file, or
    /// a key swapped, shows up here by author and change.
    public func verifyHistory() throws -> HistoryVerification {
        try read { db in
            var authors: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT site, author FROM site_key") { authors[row["site"]] = row["author"] }
            var verified: [String: Int] = [:]
            var failures: [HistoryVerification.Failure] = []
            let changes = try ChangeRow.fetch(db, order: "site, counter")
            for change in changes {
                do {
                    try ChangeSignature.verify(change)
                    if let signer = authors[change.dot.site.text], signer != change.author {
                        throw ReplicaError.authorMismatch(change.dot, claimed: change.author, signer: signer)
                    }
                    verified[change.author, default: 0] += 1
                } catch {
                    failures.append(.init(dot: change.dot, author: change.author, entity: change.entity, reason: "\(error)"))
                }
            }
            return HistoryVerification(checked: changes.count, verifiedByAuthor: verified, failures: failures)
        }
    }
}

import Crypto
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

    /// Checks every change, and that each site signs as one author throughout (`authors`:
    /// what earlier batches established, site by site). Returns the authors this batch adds.
    @discardableResult
    public static func verify(_ changes: [Change], knownAuthor: (SiteID) throws -> String? = { _ in nil }) throws -> [SiteID: String] {
        var authors: [SiteID: String] = [:]
        for change in changes {
            try verify(change)
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

import FieldbookReplica
import FieldbookReports
import Foundation

/// Which key may sign a package: the one the engagement's own signed history binds to the
/// signer's site and assessor. The history is checked from its content up (`HistoryAudit`:
/// every hash, link and head signature, each site signing as one author), then the signer's
/// key must be a site of it that wrote as the named assessor, and the manifest's version must
/// be that history's. No key is trusted for being in the manifest.
enum HistoryBinding {
    /// What does not hold.
    enum Problem: Error, Equatable {
        /// The history itself does not verify.
        case history(String)
        /// The signer's key is not one the history binds to the named assessor.
        case unboundSigner(String)
        /// The manifest names another version than the history's.
        case version(manifest: String, history: String)
    }

    /// The signer as the manifest names them.
    struct Signer {
        let assessor: String
        let site: SiteID
        let publicKey: Data
    }

    static func check(_ changes: [Change], signer: Signer, version: String) -> Problem? {
        var keys: [SiteID: Data] = [:], authors: [SiteID: String] = [:]
        var vector = VersionVector()
        for change in changes {
            let site = change.dot.site
            if keys[site] == nil, change.publicKey.count == 32 { keys[site] = change.publicKey }
            if authors[site] == nil { authors[site] = change.author }
            vector.insert(change.dot)
        }
        if let failure = HistoryAudit.audit(changes, keys: keys, authors: authors).first {
            return .history("change \(failure.change.dot) by '\(failure.change.author)': \(failure.error.description)")
        }
        let key = signer.publicKey.base64EncodedString()
        guard SiteID(publicKey: signer.publicKey) == signer.site else {
            return .unboundSigner("the key \(key) does not belong to the site \(signer.site) the manifest names")
        }
        guard keys[signer.site] == signer.publicKey else {
            return .unboundSigner("the key \(key) wrote nothing in the package's signed history")
        }
        guard authors[signer.site] == signer.assessor else {
            return .unboundSigner("the key \(key) writes in the signed history as '\(authors[signer.site] ?? "")', not as '\(signer.assessor)'")
        }
        let held = DocumentControl.version(of: vector)
        guard held == version else { return .version(manifest: version, history: held) }
        return nil
    }
}

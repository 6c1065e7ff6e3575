import FieldbookReplica
import FieldbookReports
import Foundation

/// Which key may sign a package: the key of one site of the engagement's own signed history,
/// that site writing as the signer's assessor. The history is checked from its content up
/// (`HistoryAudit`: every hash, link and head signature, each site signing as one author), then
/// the signer's key must be the key of the site the manifest names (a site id is derived from
/// its key, and every change of that site is checked against that key), that site must have
/// written in the history, as the named assessor, and the manifest's version must be that
/// history's. No key is trusted for being in the manifest.
///
/// What this does not settle: names are self-typed, so several sites may write as one name (the
/// assessor's second laptop, or a clone of the engagement made by someone else under that name,
/// which then signs a package of its own). `check` returns those other sites so the verifier
/// can say the package was signed by one of several, and by which key.
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

    /// Another site of the history writing as (a name that reads as) the signer's assessor.
    struct Site: Equatable {
        let site: SiteID
        let publicKey: Data
        /// As that site writes it.
        let assessor: String
    }

    /// On success, the other sites of the history writing as the signer's name (none, usually).
    static func check(_ changes: [Change], signer: Signer, version: String) -> Result<[Site], Problem> {
        var keys: [SiteID: Data] = [:], authors: [SiteID: String] = [:]
        var vector = VersionVector()
        for change in changes {
            let site = change.dot.site
            if keys[site] == nil, change.publicKey.count == 32 { keys[site] = change.publicKey }
            if authors[site] == nil { authors[site] = change.author }
            vector.insert(change.dot)
        }
        // A revocation vouches for the last valid change of the site it revokes (its own
        // signature is audited with the rest).
        let revoker = changes.first { $0.kind == .revocation }?.dot.site
        let vouched = RevocationPoint.vouched(RevocationPoint.points(in: changes, from: revoker, over: [:]))
        if let failure = HistoryAudit.audit(changes, keys: keys, authors: authors, vouched: vouched).first {
            return .failure(.history("change \(failure.change.dot) by '\(failure.change.author)': \(failure.error.description)"))
        }
        let key = signer.publicKey.base64EncodedString()
        guard SiteID(publicKey: signer.publicKey) == signer.site else {
            return .failure(.unboundSigner("the key \(key) does not belong to the site \(signer.site) the manifest names"))
        }
        guard keys[signer.site] == signer.publicKey else {
            return .failure(.unboundSigner("the key \(key) wrote nothing in the package's signed history"))
        }
        guard authors[signer.site] == signer.assessor else {
            return .failure(.unboundSigner("the key \(key) writes in the signed history as '\(authors[signer.site] ?? "")', not as '\(signer.assessor)'"))
        }
        let held = DocumentControl.version(of: vector)
        guard held == version else { return .failure(.version(manifest: version, history: held)) }
        let name = nameKey(signer.assessor)
        let others = authors.compactMap { site, author -> Site? in
            guard site != signer.site, nameKey(author) == name, let key = keys[site] else { return nil }
            return Site(site: site, publicKey: key, assessor: author)
        }
        return .success(others.sorted { $0.site < $1.site })
    }

    /// A name as a reader sees it: compatibility-normalised, without control or format
    /// characters (bidi marks, zero-width spaces), spaces collapsed, case, accents and width
    /// folded. Two names with one key look the same on screen.
    static func nameKey(_ name: String) -> String {
        let scalars = name.precomposedStringWithCompatibilityMapping.unicodeScalars.filter {
            $0.properties.generalCategory != .control && $0.properties.generalCategory != .format
        }
        let words = String(String.UnicodeScalarView(scalars)).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return words.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }
}

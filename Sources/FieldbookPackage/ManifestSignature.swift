import Crypto
import Foundation

/// `manifest.sig`: the workspace's Ed25519 signature over the exact bytes of `manifest.json`,
/// as base64 text on one line.
///
/// It sits beside the manifest rather than inside it so that what is signed is a plain file any
/// Ed25519 tool can check (`manifest.json` as it is, no canonical form to rebuild). The key
/// also signs change heads, but those messages open with a `fieldbook-head-v1` domain tag and a
/// manifest opens with `{`, so neither can pass for the other.
///
/// **What a verified signature proves**: whoever holds the private key of one site of the
/// package's own signed history of the engagement (the site the manifest names, whose changes
/// in that history are all signed by that key and written as the named assessor) made this
/// manifest, and so vouches for every listed file's bytes. A package altered and re-signed with
/// a key that wrote nothing in the carried history, or wrote there under another name, fails.
///
/// **What it does not exclude**: names are self-typed, so any site can write as any name. A
/// clone of the engagement made under the real assessor's name has a key of its own; once it
/// records a change, its history holds the real assessor's changes and its own, both under that
/// name, and a package it signs verifies. `package verify` then says how many sites write as
/// that name and which one signed, by site and key; only comparing that key with the one the
/// assessor's `fieldbook status` shows tells them apart. A history replaced wholesale is the
/// same case without the real assessor's site in it at all.
///
/// **What it does not prove**: that the key holder is the person named (names are chosen by the
/// workspace's owner; compare the public key `package verify` prints with the one the assessor's
/// `fieldbook status` shows, or the one a sync server's token binds); that the history is the
/// whole engagement (colleagues' changes not merged before export are absent); that the reports
/// are a correct rendering of the history (they are the signer's statement; rendering the
/// history again shows it); or when it was signed (`generated` is the signer's own clock).
/// Someone who forges a whole engagement with a key of their own, reusing the id and names,
/// gets a package that verifies under *their* key: only comparing the key catches that.
enum ManifestSignature {
    /// Signs `manifest` with a workspace's raw Ed25519 private key.
    static func sign(_ manifest: Data, rawKey: Data) throws -> Data {
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: rawKey)
        return Data(try key.signature(for: manifest).base64EncodedString().utf8) + Data("\n".utf8)
    }

    /// Whether `signatureFile` (the text of `manifest.sig`) is a valid signature over `manifest`
    /// by `publicKey` (32 raw bytes).
    static func holds(_ signatureFile: Data, over manifest: Data, publicKey: Data) -> Bool {
        let text = String(decoding: signatureFile, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let signature = Data(base64Encoded: text), signature.count == 64,
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: manifest)
    }
}

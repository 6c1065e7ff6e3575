import Crypto
import Foundation

/// A workspace's Ed25519 signing key. Its site id is derived from the public key, so a
/// change's site names the only key that may sign it: nobody can write as another site.
public struct ChangeSigner: Sendable {
    /// Every this-many changes a site signs one even inside a long write, so that a history
    /// can always be cut into batches of at most `Wire.maximumBatchChanges` at signed changes.
    public static let checkpointInterval: UInt64 = 1_000

    /// The 32 bytes to store; keep them private to the workspace. (Raw bytes, not the key
    /// type, so the signer is Sendable; the key is rebuilt for each signature.)
    public let rawRepresentation: Data
    public let publicKey: Data
    public let site: SiteID

    /// A new key.
    public init() {
        self.init(key: Curve25519.Signing.PrivateKey())
    }

    /// A stored key (32 bytes).
    public init(rawRepresentation: Data) throws(ReplicaError) {
        do {
            self.init(key: try Curve25519.Signing.PrivateKey(rawRepresentation: rawRepresentation))
        } catch {
            throw .malformed("the workspace's signing key is damaged")
        }
    }

    private init(key: Curve25519.Signing.PrivateKey) {
        rawRepresentation = key.rawRepresentation
        publicKey = key.publicKey.rawRepresentation
        site = SiteID(publicKey: publicKey)
    }

    /// Links this site's next change to the one before it (`previous`: that change's hash, or
    /// `ChangeHash.genesis` before the first) and signs it when it is a head: the last change
    /// of a write, or a checkpoint. Returns the change and its hash, the next one's `previous`.
    public func chain(_ change: Change, after previous: Data, head: Bool) -> (change: Change, hash: Data) {
        let linked = change.with(prev: previous).with(publicKey: publicKey, signature: Data())
        let hash = ChangeHash.of(linked)
        guard head || change.dot.counter % Self.checkpointInterval == 0 else { return (linked, hash) }
        return (linked.with(publicKey: publicKey, signature: signature(over: ChangeSignature.headMessage(hash))), hash)
    }

    /// A legacy (format 3) change: signed alone, with no history link. New changes are
    /// chained; this stays for tests and tools that make changes of older releases.
    public func sign(_ change: Change) -> Change {
        let unsigned = change.with(prev: Data()).with(publicKey: publicKey, signature: Data())
        return unsigned.with(publicKey: publicKey, signature: signature(over: ChangeSignature.signedBytes(unsigned)))
    }

    private func signature(over message: Data) -> Data {
        // The raw key was valid when this signer was made, and signing in-memory bytes does not fail.
        let key = try! Curve25519.Signing.PrivateKey(rawRepresentation: rawRepresentation)
        return try! key.signature(for: message)
    }
}

extension SiteID {
    /// The site a public key speaks for: the first 16 bytes of its SHA-256, as a version 8 UUID.
    public init(publicKey: Data) {
        var bytes = Array(SHA256.hash(data: publicKey).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        self.init(UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                              bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15])))
    }
}

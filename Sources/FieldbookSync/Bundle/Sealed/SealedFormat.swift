import Crypto
import Foundation

/// A sealed bundle: a whole bundle file (header included) encrypted for a set of recipients.
/// See docs/bundle-format.md, "Sealed bundles". Layout:
///
///     "FBSEALED" | version (UInt32 BE, 1) | recipient count (UInt16 BE, 1...256)
///     stanza*    = HPKE encapsulated key (32) | file key sealed by HPKE (32 + 16)
///     checksum   = SHA-256 of every byte above (damage, told apart from "not for you")
///     MAC        = HMAC-SHA256 of every byte above, keyed from the file key (tampering)
///     salt       = 16 random bytes
///     chunk*     = ChaChaPoly of 64 KiB of the bundle (the last one shorter, never empty
///                  unless it is the only one), nonce = 11-byte chunk counter | last flag
///
/// HPKE is RFC 9180 base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305;
/// the payload is age's STREAM construction, so truncation, reordering and chunks taken from
/// another file all fail to authenticate.
enum SealedFormat {
    static let magic = Data("FBSEALED".utf8)
    static let version: UInt32 = 1
    static let maximumRecipients = 256
    /// Plaintext bytes per chunk; each chunk adds a 16-byte tag.
    static let chunkSize = 64 << 10
    static let tagSize = 16
    static let sealedChunkSize = chunkSize + tagSize
    static let fileKeySize = 32
    static let stanzaSize = 32 + fileKeySize + tagSize
    static let saltSize = 16
    static var ciphersuite: HPKE.Ciphersuite { .Curve25519_SHA256_ChachaPoly }
    static let hpkeInfo = Data("fieldbook sealed bundle 1: file key".utf8)
    static let macInfo = Data("fieldbook sealed bundle 1: header".utf8)
    static let payloadInfo = Data("fieldbook sealed bundle 1: payload".utf8)

    /// The fixed start: mark, version and recipient count.
    static func preamble(recipients: Int) -> Data {
        var data = magic
        data.append(contentsOf: withUnsafeBytes(of: version.bigEndian, Array.init))
        data.append(contentsOf: withUnsafeBytes(of: UInt16(recipients).bigEndian, Array.init))
        return data
    }

    static func headerMAC(_ bytes: Data, fileKey: SymmetricKey) -> Data {
        let key = HKDF<SHA256>.deriveKey(inputKeyMaterial: fileKey, info: macInfo, outputByteCount: 32)
        return Data(HMAC<SHA256>.authenticationCode(for: bytes, using: key))
    }

    static func payloadKey(fileKey: SymmetricKey, salt: Data) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: fileKey, salt: salt, info: payloadInfo, outputByteCount: 32)
    }

    /// Chunk `counter`'s nonce: the counter in 11 big-endian bytes, then 1 for the last chunk.
    static func nonce(counter: UInt64, last: Bool) -> ChaChaPoly.Nonce {
        var bytes = [UInt8](repeating: 0, count: 3)
        bytes.append(contentsOf: withUnsafeBytes(of: counter.bigEndian, Array.init))
        bytes.append(last ? 1 : 0)
        return try! ChaChaPoly.Nonce(data: bytes)
    }
}

import Crypto
import Foundation

/// Someone a bundle can be sealed for: an X25519 public key, written `fbr1…` (see `KeyText`).
/// Users hand these to each other; `fieldbook identity` prints one's own.
public struct Recipient: Hashable, Sendable, CustomStringConvertible {
    static let prefix = "fbr1"
    /// The raw X25519 public key (32 bytes).
    public let rawKey: Data

    init(rawKey: Data) {
        self.rawKey = rawKey
    }

    /// Reads a recipient string; a mistyped, cut or foreign one is refused with a sentence.
    public init(parsing text: String) throws(BundleError) {
        let shown = text.count > 70 ? "\(text.prefix(70))..." : text
        do {
            rawKey = try KeyText.decode(text, prefix: Self.prefix)
        } catch {
            let problem = switch error {
            case .prefix: "is not a Fieldbook recipient (those start with \(Self.prefix))"
            case .length(let count): "has \(count) characters, not \(KeyText.length(prefix: Self.prefix)): part of it is missing or extra"
            case .character(let character): "holds '\(character)', which no recipient holds (only letters and the digits 2 to 7)"
            case .checksum: "is mistyped: its checksum does not match"
            }
            throw .invalidRecipient(shown, problem)
        }
        // A low-order point gives the all-zero shared secret whatever the other key: sealing for
        // it would hand the file key to anyone.
        let probe = Curve25519.KeyAgreement.PrivateKey()
        guard let key = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: rawKey),
              let secret = try? probe.sharedSecretFromKeyAgreement(with: key),
              !secret.withUnsafeBytes({ $0.allSatisfy { $0 == 0 } }) else {
            throw .invalidRecipient(shown, "is not a usable public key")
        }
    }

    var publicKey: Curve25519.KeyAgreement.PublicKey {
        get throws { try Curve25519.KeyAgreement.PublicKey(rawRepresentation: rawKey) }
    }

    /// The `fbr1…` string.
    public var description: String { KeyText.encode(rawKey, prefix: Self.prefix) }
}

import Crypto
import Foundation

/// This user's key pair for sealed bundles: the secret half opens bundles sealed for
/// `recipient`. Kept in an `IdentityFile`.
public struct Identity: Sendable {
    static let prefix = "fbs1"
    /// The raw X25519 private key (32 bytes); Crypto's key type is not `Sendable`.
    private let rawKey: Data

    init(privateKey: Curve25519.KeyAgreement.PrivateKey) {
        rawKey = privateKey.rawRepresentation
    }

    var privateKey: Curve25519.KeyAgreement.PrivateKey { try! Curve25519.KeyAgreement.PrivateKey(rawRepresentation: rawKey) }

    /// A new random identity.
    public static func generate() -> Identity {
        Identity(privateKey: Curve25519.KeyAgreement.PrivateKey())
    }

    /// The public half, to give to colleagues.
    public var recipient: Recipient { Recipient(rawKey: privateKey.publicKey.rawRepresentation) }

    /// The identity file's text: two comment lines and the `fbs1…` secret.
    var fileText: String {
        """
        # Fieldbook identity: the secret key that opens bundles sealed for you. Keep it to yourself.
        # recipient: \(recipient)
        \(KeyText.encode(privateKey.rawRepresentation, prefix: Self.prefix))

        """
    }

    /// Reads an identity file's text: `#` lines are comments; one `fbs1…` line is the key.
    init(fileText: String) throws(KeyText.Problem) {
        let lines = fileText.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let line = lines.first(where: { !$0.isEmpty && !$0.hasPrefix("#") }) else { throw .prefix }
        let raw = try KeyText.decode(line, prefix: Self.prefix)
        guard (try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: raw)) != nil else { throw .checksum }
        rawKey = raw
    }
}

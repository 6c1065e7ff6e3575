import Crypto
import FieldbookModel
import Foundation

/// Bearer tokens: `fbt_` and 32 random bytes in hex. The server keeps only the SHA-256.
public enum TokenSecret {
    /// A new secret, shown to the administrator once.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return "fbt_" + Hex.string((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// The hex SHA-256 stored and looked up in place of the secret.
    public static func hash(_ token: String) -> String {
        Hex.string(SHA256.hash(data: Data(token.utf8)))
    }
}

/// Checks on assessors' Ed25519 public keys given to admin commands.
public enum SigningKey {
    /// Whether `data` is a valid 32-byte Ed25519 public key.
    public static func isPublicKey(_ data: Data) -> Bool {
        (try? Curve25519.Signing.PublicKey(rawRepresentation: data)) != nil
    }
}

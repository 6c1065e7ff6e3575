import FieldbookReplica
import Foundation

/// `manifest.json`: what the package is, whose engagement at which version, who signed it, and
/// every other file in it with its size and SHA-256. The signature covers these exact bytes, so
/// the manifest is read as it came and never re-encoded before checking.
public struct PackageManifest: Codable, Sendable, Equatable {
    /// The tag every Fieldbook package manifest carries; a manifest without it is someone else's.
    public static let formatTag = "fieldbook-audit-package"
    /// The layout this build writes; the verifier refuses a newer one.
    public static let currentVersion = 1
    /// No manifest Fieldbook writes comes near this; a larger one is not read into memory.
    static let maximumBytes: UInt64 = 32 << 20

    public let format: String
    public let formatVersion: Int
    public let engagement: Engagement
    /// The engagement's content version (`DocumentControl.version`) the reports were made from.
    public let documentVersion: String
    /// When the package was made (RFC 3339, UTC, by the signer's clock).
    public let generated: String
    public let signer: Signer
    /// Every file but the manifest and its signature, sorted by path.
    public let files: [File]

    public struct Engagement: Codable, Sendable, Equatable {
        public let id: String
        public let name: String
    }

    /// The workspace that signed: its assessor, its site id and its Ed25519 public key (base64,
    /// as `fieldbook status` prints it).
    public struct Signer: Codable, Sendable, Equatable {
        public let assessor: String
        public let site: String
        public let publicKey: String

        enum CodingKeys: String, CodingKey {
            case assessor, site
            case publicKey = "public_key"
        }
    }

    /// One file of the package.
    public struct File: Codable, Sendable, Equatable {
        public let path: String
        public let size: Int64
        /// 64 lowercase hex digits.
        public let sha256: String
        /// The evidence entity a file under `evidence/` is the bytes of.
        public let evidenceID: String?

        enum CodingKeys: String, CodingKey {
            case path, size, sha256
            case evidenceID = "evidence_id"
        }
    }

    enum CodingKeys: String, CodingKey {
        case format, engagement, generated, signer, files
        case formatVersion = "format_version"
        case documentVersion = "document_version"
    }

    /// The bytes written to `manifest.json` (sorted keys, so two packages of one state differ only in time).
    func encoded() throws -> Data {
        try JSONDocument.file(self)
    }
}

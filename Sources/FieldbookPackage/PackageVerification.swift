/// What `AuditPackage.verify` found: the `package verify --json` document (snake_case keys).
public struct PackageVerification: Sendable, Equatable, Encodable {
    /// Why a file differs from what was signed.
    public enum Reason: String, Sendable, Equatable, Encodable {
        /// Its bytes (or size) are not those the manifest lists.
        case changed
        /// Listed in the manifest, absent from the archive.
        case missing
        /// In the archive, not listed in the manifest.
        case added
        /// Two entries one file system would take for the same file.
        case duplicate
        /// A path that would land outside the folder it is extracted into, or read otherwise on some platform.
        case unsafePath = "unsafe_path"
        /// The manifest and its signature do not match.
        case signature
        /// A valid signature by a key the package's signed history does not bind to the signer.
        case unboundSigner = "unbound_signer"
        /// The manifest does not parse, or contradicts the history it lists.
        case manifest
        /// The signed history in the package does not verify.
        case history
    }

    /// The first file that differs, why, and one sentence saying so.
    public struct Difference: Sendable, Equatable, Encodable {
        public let path: String
        public let reason: Reason
        public let message: String
    }

    /// How many files the manifest lists whose bytes were checked and match.
    public let files: Int
    public let firstDifference: Difference?
    /// As the manifest names them; nil when the manifest could not be read.
    public let signer: PackageManifest.Signer?
    public let engagement: PackageManifest.Engagement?
    public let version: String?

    /// Every byte and the signature hold.
    public var ok: Bool { firstDifference == nil }

    enum CodingKeys: String, CodingKey {
        case ok, files, signer, engagement, version
        case firstDifference = "first_difference"
    }

    public func encode(to encoder: any Encoder) throws {
        // Every key present, null when unknown, so a script can read the shape without guessing.
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ok, forKey: .ok)
        try container.encode(files, forKey: .files)
        try container.encode(firstDifference, forKey: .firstDifference)
        try container.encode(signer, forKey: .signer)
        try container.encode(engagement, forKey: .engagement)
        try container.encode(version, forKey: .version)
    }
}

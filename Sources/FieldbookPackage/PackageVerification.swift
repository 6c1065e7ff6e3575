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

    /// Another site of the package's signed history writing as the signer's assessor (the same
    /// name, or one that reads the same: differing only in case, accents, width, spacing or
    /// invisible characters). Names are self-typed: such a site may be the assessor's second
    /// laptop, or someone else's clone of the engagement under that name.
    public struct OtherSite: Sendable, Equatable, Encodable {
        public let site: String
        public let publicKey: String
        /// As that site writes it.
        public let assessor: String

        enum CodingKeys: String, CodingKey {
            case site, assessor
            case publicKey = "public_key"
        }
    }

    /// How many files the manifest lists whose bytes were checked and match.
    public let files: Int
    public let firstDifference: Difference?
    /// As the manifest names them; nil when the manifest could not be read.
    public let signer: PackageManifest.Signer?
    public let engagement: PackageManifest.Engagement?
    public let version: String?
    /// The other sites of the history writing as the signer's name, sorted by site; nil when
    /// verification stopped before the signer's place in the history was checked.
    public let otherSitesWithSignerName: [OtherSite]?

    public init(files: Int, firstDifference: Difference?, signer: PackageManifest.Signer?, engagement: PackageManifest.Engagement?,
                version: String?, otherSitesWithSignerName: [OtherSite]? = nil) {
        self.files = files
        self.firstDifference = firstDifference
        self.signer = signer
        self.engagement = engagement
        self.version = version
        self.otherSitesWithSignerName = otherSitesWithSignerName
    }

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
        try container.encode(signer.map { SignerDocument(signer: $0, others: otherSitesWithSignerName) }, forKey: .signer)
        try container.encode(engagement, forKey: .engagement)
        try container.encode(version, forKey: .version)
    }

    /// `signer` in `--json`: the manifest's signer and the other sites writing as that name
    /// (`other_sites_with_this_name`: null when not checked, else a list, usually empty).
    private struct SignerDocument: Encodable {
        let signer: PackageManifest.Signer
        let others: [OtherSite]?

        enum CodingKeys: String, CodingKey {
            case assessor, site
            case publicKey = "public_key"
            case others = "other_sites_with_this_name"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(signer.assessor, forKey: .assessor)
            try container.encode(signer.site, forKey: .site)
            try container.encode(signer.publicKey, forKey: .publicKey)
            try container.encode(others, forKey: .others)
        }
    }
}

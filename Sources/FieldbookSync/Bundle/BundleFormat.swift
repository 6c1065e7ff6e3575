import FieldbookModel
import FieldbookReplica
import Foundation

/// A bundle file: the same payload as a push plus the evidence files, for sync by USB stick.
/// See docs/bundle-format.md. Layout:
///
///     "FBBUNDLE" | format (UInt32 BE) | record* | end record
///     record = type (1 byte) | length (UInt64 BE) | payload
///
/// Types: `H` header (JSON), `C` changes (a ChangeBatch, JSON; several for large bundles),
/// `O` object (64 hex digits of SHA-256, then the file's bytes), `E` end (SHA-256 of every
/// byte before the end record). Readers refuse unknown types, lengths over the limits, and
/// a file whose end hash does not match.
public enum BundleFormat {
    /// The first eight bytes of every bundle.
    public static let magic = Data("FBBUNDLE".utf8)
    /// The newest format this build reads; readers refuse a newer one. The format number is
    /// the protocol (`ProtocolVersion`) a reader needs: the layout is the same, but a bundle
    /// holding a change of a later schema says so at its start, so an earlier release refuses it
    /// in its own words ("uses format 2, newer than this Fieldbook reads") instead of failing
    /// on the first change it cannot validate.
    public static let currentVersion = UInt32(ProtocolVersion.current.rawValue)

    /// The format a bundle of `changes` is written in: the lowest that every one reads in, so
    /// work in the earlier schema still travels to colleagues on the earlier release.
    public static func version(for changes: [Change]) -> UInt32 { UInt32(changes.neededProtocol.rawValue) }
    /// A change record holds at most this many changes, so a reader never holds more than
    /// one record's JSON at once.
    public static let changesPerRecord = 5_000
    /// The largest header record; this and the two limits below are checked before a record is
    /// read, so a hostile length cannot exhaust memory or disk.
    public static let maximumHeaderBytes: UInt64 = 1 << 20
    public static let maximumChangeRecordBytes: UInt64 = 64 << 20
    public static let maximumObjectBytes: UInt64 = 64 << 30

    enum RecordType: UInt8 {
        case header = 0x48  // H
        case changes = 0x43  // C
        case object = 0x4F  // O
        case end = 0x45  // E
    }
}

/// The bundle's header: whose it is, what the sender held, and what it carries.
public struct BundleHeader: Codable, Sendable, Equatable {
    /// The bundle format (`BundleFormat.currentVersion` when written).
    public let format: UInt32
    public let engagement: String
    public let engagementName: String?
    public let sender: SenderInfo
    /// Everything the sender held when writing the bundle.
    public let vector: VersionVector
    /// The vector the contents were computed against (`--since-bundle`); empty for a full bundle.
    public let base: VersionVector
    /// Changes and evidence files the bundle carries, checked against its records.
    public let changeCount: Int
    public let objectCount: Int

    /// Who wrote the bundle: their site id and assessor name.
    public struct SenderInfo: Codable, Sendable, Equatable {
        public let site: String
        public let assessor: String

        public init(site: String, assessor: String) {
            self.site = site
            self.assessor = assessor
        }
    }

    public init(format: UInt32, engagement: String, engagementName: String?, sender: SenderInfo, vector: VersionVector,
                base: VersionVector, changeCount: Int, objectCount: Int) {
        self.format = format
        self.engagement = engagement
        self.engagementName = engagementName
        self.sender = sender
        self.vector = vector
        self.base = base
        self.changeCount = changeCount
        self.objectCount = objectCount
    }

    enum CodingKeys: String, CodingKey {
        case format, engagement, sender, vector, base
        case engagementName = "engagement_name"
        case changeCount = "change_count"
        case objectCount = "object_count"
    }
}

/// Why a bundle was refused. Nothing in the workspace changed.
public enum BundleError: Error, Sendable, CustomStringConvertible, Equatable {
    case unreadable(String)
    case notABundle
    case newerFormat(UInt32)
    case truncated
    case corrupted(String)
    case integrityMismatch
    case objectMismatch(String)
    case otherEngagement(bundle: String, workspace: String)
    case cannotWrite(String)
    /// A sealed bundle none of whose recipients is this identity (`recipient`, its string).
    case sealedForOthers(recipients: Int, recipient: String)
    /// A sealed bundle, and no identity at `path` to open it with.
    case noIdentity(recipients: Int, path: String?)
    /// A recipient string that does not parse: the text as typed and what is wrong with it.
    case invalidRecipient(String, String)
    case tooManyRecipients(Int)
    /// The identity file exists but holds no key: its path and why.
    case identityUnusable(String, String)
    /// The identity could not be created in this folder.
    case identityNotWritable(String)

    public var description: String {
        switch self {
        case .unreadable(let path): "The bundle \(path) cannot be read; check the path and its permissions."
        case .notABundle: "This file is not a Fieldbook bundle (it lacks the FBBUNDLE mark); check you picked the right file."
        case .newerFormat(let version):
            "This bundle uses format \(version), newer than this Fieldbook reads (\(BundleFormat.currentVersion), \(ProtocolVersion.current.release)); "
                + "install a later Fieldbook and import it again."
        case .truncated: "The bundle ends early (truncated, perhaps an interrupted copy); copy it again from the sender."
        case .corrupted(let why): "The bundle is damaged (\(why)); ask the sender for a new one."
        case .integrityMismatch: "The bundle's integrity check failed: its contents were altered after it was written; ask the sender for a new one."
        case .objectMismatch(let sha): "An evidence file in the bundle does not match its SHA-256 \(sha.prefix(12))...; ask the sender for a new bundle."
        case let .otherEngagement(bundle, workspace): "The bundle belongs to engagement \(bundle), not this workspace's \(workspace); import it into a workspace of that engagement or clone it."
        case .cannotWrite(let why): "The bundle could not be written: \(why)."
        case let .sealedForOthers(recipients, recipient):
            "This bundle is sealed for \(counted(recipients, "recipient")), not for this identity, whose recipient string is \(recipient); ask the sender to seal it for that string."
        case let .noIdentity(recipients, path):
            "This bundle is sealed for \(counted(recipients, "recipient")), and there is no identity\(path.map { " at \($0)" } ?? "") to open it with; run 'fieldbook identity' and ask the sender to seal it for the string it prints."
        case let .invalidRecipient(text, problem): "The recipient '\(text)' \(problem); ask its owner to send the string 'fieldbook identity' prints again."
        case .tooManyRecipients(let count): "A bundle is sealed for 1 to \(SealedFormat.maximumRecipients) recipients, not \(count)."
        case let .identityUnusable(path, why): "The identity file \(path) cannot be used: \(why); restore it from your backup, or move it away to make a new identity."
        case .identityNotWritable(let folder): "No identity could be created in \(folder); make that folder writable or name another file with FIELDBOOK_IDENTITY."
        }
    }
}

/// A framework's key: the namespace of fully qualified requirement ids (`nist-ai-rmf:GOVERN-1.1`,
/// `iso42001:A.6.2.4`, `nist-csf-2.0:ID.RA-07`). Two frameworks are bundled; an imported
/// library's key is its framework URN's last segment.
///
/// Open, not an enumeration: a replica accepts results and links naming a framework it does
/// not hold yet (the library pinning it may arrive in a later batch, or a newer version may
/// have dropped the requirement), and shows them as unknown instead of refusing the change.
public struct FrameworkID: RawRepresentable, Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String

    /// The longest key accepted: a URN segment, never prose.
    public static let maximumLength = 64

    /// A key is lower-case letters, digits, `.`, `-` and `_`, starting with a letter or digit,
    /// at most 64 characters: it sits before the `:` of every requirement id and in file names.
    public init?(rawValue: String) {
        guard Self.isValid(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    private init(bundled rawValue: String) { self.rawValue = rawValue }

    public static let nistAIRMF = FrameworkID(bundled: "nist-ai-rmf")
    public static let iso42001 = FrameworkID(bundled: "iso42001")
    /// The frameworks every installation carries, joined by the bundled crosswalk.
    public static let bundled: [FrameworkID] = [.nistAIRMF, .iso42001]

    public static func isValid(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.utf8.count <= maximumLength else { return false }
        func allowed(_ scalar: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "." || scalar == "-" || scalar == "_"
        }
        return text.unicodeScalars.allSatisfy(allowed) && first != "." && first != "-" && first != "_"
    }

    /// The framework the bundled crosswalk leads to from this one (the AI RMF for ISO/IEC 42001
    /// and the reverse); other frameworks relate through mapping sets instead.
    public var other: FrameworkID { self == .nistAIRMF ? .iso42001 : .nistAIRMF }

    public var description: String { rawValue }

    public static func < (lhs: FrameworkID, rhs: FrameworkID) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = FrameworkID(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "'\(text)' is not a framework key such as nist-ai-rmf"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

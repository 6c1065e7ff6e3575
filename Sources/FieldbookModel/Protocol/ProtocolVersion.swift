/// The versions of Fieldbook's sync protocol. A version names what its readers understand:
/// the wire's layout and the schema they validate received changes against, since a reader
/// refuses a whole batch holding one change it cannot validate (and, with hash-linked history,
/// cannot skip it). Client and server state theirs on every request and answer
/// (`Fieldbook-Protocol`), bundles in their format number, so each side knows what the other
/// can read before sending it, and says which release to install when it cannot.
public enum ProtocolVersion: Int, Sendable, Comparable, CaseIterable, Codable {
    /// Fieldbook 0.1: hash-linked signed history, pull pages of segments, and the schema of
    /// the release before risk treatment (f64343e and earlier). Its clients and servers send
    /// no protocol header.
    case v1 = 1
    /// Fieldbook 0.2: risk treatment and graded findings (ISO/IEC 42001 6.1.3, 10.2), and
    /// whatever kinds, fields and words came after `SchemaHistory.protocol1`.
    case v2 = 2

    /// What this build speaks.
    public static let current = ProtocolVersion.allCases.last!

    /// The first release that speaks it, as a person installs it.
    public var release: String {
        switch self {
        case .v1: "Fieldbook 0.1"
        case .v2: "Fieldbook 0.2"
        }
    }

    /// "protocol 2 (Fieldbook 0.2)".
    public var described: String { "protocol \(rawValue) (\(release))" }

    /// The version a header or a format number states; a number beyond this build's is a
    /// later release's, read as what this build knows best.
    public init(stated number: Int) {
        self = ProtocolVersion(rawValue: min(max(number, 1), ProtocolVersion.current.rawValue))!
    }

    public static func < (lhs: ProtocolVersion, rhs: ProtocolVersion) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// This build's release, as `fieldbook --version` and `fieldbook-server --version` print it and
/// the sync client names itself (`User-Agent`).
public enum FieldbookRelease {
    public static let version = "0.2.0"
}

/// The two frameworks Fieldbook assesses against. The raw value is the namespace of
/// fully qualified requirement ids (`nist-ai-rmf:GOVERN-1.1`, `iso42001:A.6.2.4`).
public enum FrameworkID: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case nistAIRMF = "nist-ai-rmf"
    case iso42001 = "iso42001"

    /// The framework a crosswalk row leads to from this one.
    public var other: FrameworkID {
        switch self {
        case .nistAIRMF: .iso42001
        case .iso42001: .nistAIRMF
        }
    }

    public static func < (lhs: FrameworkID, rhs: FrameworkID) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

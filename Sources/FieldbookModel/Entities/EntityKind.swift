/// The kinds of entity an engagement holds. Decoding an unknown kind fails, so a batch
/// carrying one is refused whole.
public enum EntityKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case engagement
    /// An assessment result: one per requirement, its id derived from the requirement.
    case result
    case risk
    case evidence
    /// A nonconformity with its corrective action (ISO/IEC 42001 clause 10.2).
    case finding

    public static func < (lhs: EntityKind, rhs: EntityKind) -> Bool { lhs.rawValue < rhs.rawValue }
}

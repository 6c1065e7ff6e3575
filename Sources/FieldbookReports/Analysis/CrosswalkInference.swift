import FieldbookModel

/// What the other framework's results suggest for a requirement, through the crosswalk.
/// The bundled crosswalk only says "related", so this suggests and never assesses: it is
/// always shown apart from what an assessor recorded.
public struct CrosswalkInference: Sendable, Equatable {
    /// What the related results, taken together, suggest.
    public enum Signal: String, Sendable, Codable {
        /// Every related requirement is assessed compliant (or not applicable).
        case likelyCovered = "likely-covered"
        /// A related requirement is assessed non-compliant.
        case gapLikely = "gap-likely"
        /// Some related requirements are assessed, without a clear answer.
        case partial
        /// None of the related requirements is assessed.
        case noSignal = "no-signal"
    }

    /// A requirement of the other framework the crosswalk relates to this one, with its result.
    public struct Related: Sendable, Equatable {
        public let requirement: RequirementID
        public let relationship: Relationship
        public let status: AssessmentStatus?
        public let row: CrosswalkRow
    }

    public let requirement: RequirementID
    public let related: [Related]
    public let signal: Signal
    /// The requirement's own result contradicts its related results (compliant here while a
    /// related one is non-compliant, or the reverse): a finding for the assessor to look at.
    public let disagreement: Bool

    /// `own` is the requirement's own result; `status` gives any requirement's result (nil when
    /// none is recorded), so the inference reads results without knowing where they are kept.
    public init(requirement: RequirementID, own: AssessmentStatus?, crosswalk: Crosswalk,
                status: (RequirementID) -> AssessmentStatus?) {
        self.requirement = requirement
        related = crosswalk.links(for: requirement).map {
            Related(requirement: $0.requirement, relationship: $0.relationship, status: status($0.requirement), row: $0.row)
        }
        let judged = related.compactMap(\.status).filter { $0 != .notAssessed && $0 != .notApplicable }
        if judged.isEmpty {
            signal = .noSignal
        } else if judged.contains(.nonCompliant) {
            signal = .gapLikely
        } else if judged.count == related.filter({ $0.status != .notApplicable }).count && judged.allSatisfy({ $0 == .compliant }) {
            signal = .likelyCovered
        } else {
            signal = .partial
        }
        switch own {
        case .compliant?: disagreement = judged.contains(.nonCompliant)
        case .nonCompliant?: disagreement = judged.contains(.compliant)
        default: disagreement = false
        }
    }

    /// A sentence for people that names the related requirements behind the signal, and
    /// lists the other related results apart so they do not read as evidence for it.
    public var summary: String {
        func names(_ items: [Related]) -> String { items.map(\.requirement.local).joined(separator: ", ") }
        let assessed = related.filter { $0.status != nil && $0.status != .notAssessed }
        switch signal {
        case .likelyCovered:
            return related.count == 1 ? "likely covered: the related requirement \(names(related)) is assessed compliant"
                : "likely covered: all \(related.count) related requirements are assessed compliant (\(names(related)))"
        case .gapLikely:
            let failing = related.filter { $0.status == .nonCompliant }
            let others = assessed.filter { $0.status != .nonCompliant }
            return "gap likely: \(failing.count) of \(counted(related.count, "related requirement")) assessed non-compliant (\(names(failing)))"
                + (others.isEmpty ? "" : "; other related results: " + others.map { "\($0.requirement.local) \($0.status?.rawValue ?? "")" }.joined(separator: ", "))
        case .partial:
            return "partial signal: \(assessed.count) of \(counted(related.count, "related requirement")) assessed ("
                + assessed.map { "\($0.requirement.local) \($0.status?.rawValue ?? "")" }.joined(separator: ", ") + ")"
        case .noSignal:
            if related.isEmpty { return "no crosswalk rows" }
            return related.count == 1 ? "no signal: the related requirement \(names(related)) is not assessed"
                : "no signal: none of the \(related.count) related requirements is assessed"
        }
    }
}

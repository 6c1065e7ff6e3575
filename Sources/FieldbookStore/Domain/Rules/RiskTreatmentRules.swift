import FieldbookModel

/// The Statement of Applicability read with the risks its controls treat (ISO/IEC 42001 6.1.3):
/// a control a live risk names in `treated_by` is included for that reason unless a decision
/// says otherwise, and one excluded while a live risk relies on it is a contradiction. Stated
/// once here; `status`, the reports and the final SoA's refusal all ask these.
public enum RiskTreatmentRules {
    /// The live risks (`Risk.isLive`) naming each requirement in `treated_by`, each list in id
    /// order (oldest first: ids are UUIDv7).
    public static func risksTreated(by risks: [Risk]) -> [RequirementID: [Risk]] {
        var treating: [RequirementID: [Risk]] = [:]
        for risk in risks.sorted(by: { $0.id < $1.id }) where risk.isLive {
            for target in risk.treatedBy {
                if let requirement = RequirementID(qualified: target) { treating[requirement, default: []].append(risk) }
            }
        }
        return treating
    }

    /// How risks are named in derived reasons and contradictions: their short id (the CLI
    /// reads it back as a unique prefix) and title, `0193a3f2 (Bias in credit scores)`.
    public static func labels(of risks: [Risk]) -> [EntityID: String] {
        let forms = EntityID.shortForms(risks.map(\.id))
        return Dictionary(uniqueKeysWithValues: risks.map { ($0.id, "\(forms[$0.id] ?? $0.id.rawValue) (\($0.title ?? "untitled"))") })
    }

    /// "treats 0193a3f2 (Bias in credit scores), 0193a3f9 (Drift)": why a control a live risk names is included.
    public static func derivedReason(_ treating: [Risk], labels: [EntityID: String]) -> String {
        "treats " + treating.map { labels[$0.id] ?? $0.id.rawValue }.joined(separator: ", ")
    }

    /// Every Annex A control excluded while live risks name it in `treated_by`, in control order.
    /// `risks` are the engagement's risks, `decisions` its SoA entries by control.
    public static func contradictions(risks: [Risk], decisions: [RequirementID: ControlApplicability]) -> [TreatmentContradiction] {
        let treating = risksTreated(by: risks)
        let labels = labels(of: risks)
        return treating.keys.sorted().compactMap { control in
            guard decisions[control]?.applicability == .excluded, let relying = treating[control] else { return nil }
            return TreatmentContradiction(control: control, risks: relying.map(\.id),
                                          problem: DomainRule.treatmentContradiction(control, risks: relying.map { labels[$0.id] ?? $0.id.rawValue }))
        }
    }

    /// Refuses a final Statement of Applicability while any contradiction stands (exit 3): a
    /// final document records what was agreed, and an exclusion a treatment relies on is not.
    public static func refuseFinal(_ contradictions: [TreatmentContradiction]) throws {
        guard !contradictions.isEmpty else { return }
        throw StoreError.stateConflict("A final Statement of Applicability is refused: " + contradictions.map(\.problem).joined(separator: "; ")
            + ". Include the control (fieldbook applicability set ID --included), or take it out of the risk's treatment (fieldbook risk update RISK --untreated-by ID), or leave out --final for a draft.")
    }
}

/// An Annex A control the SoA excludes while live risks name it among their treating controls.
public struct TreatmentContradiction: Sendable, Equatable {
    public let control: RequirementID
    /// The risks relying on it, oldest first.
    public let risks: [EntityID]
    /// One sentence naming both (`DomainRule.treatmentContradiction`).
    public let problem: String
}

extension WorkspaceDomain {
    /// The workspace's contradictions between its SoA and its risks' treatments (`RiskTreatmentRules`).
    /// `status` asks on every run: the risks are read whole (every risk's short form depends on
    /// the others) only when some risk links to an excluded control at all.
    public func treatmentContradictions() throws -> [TreatmentContradiction] {
        var decisions: [RequirementID: ControlApplicability] = [:]
        for decision in try workspace.all(ControlApplicability.self) {
            if let control = decision.control { decisions[control] = decision }
        }
        let excluded = decisions.filter { $0.value.applicability == .excluded }.keys
        guard try excluded.contains(where: { !(try workspace.entities(.risk, linkedTo: $0).isEmpty) }) else { return [] }
        return RiskTreatmentRules.contradictions(risks: try workspace.all(Risk.self), decisions: decisions)
    }
}

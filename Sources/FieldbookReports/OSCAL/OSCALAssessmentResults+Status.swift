import FieldbookModel
import FieldbookStore

// What a finding's target says: satisfied or not, and how far the requirement is implemented.
// One rule for both kinds of finding, so a result finding and a nonconformity's finding on the
// same target never disagree: a target is satisfied only when its result is compliant and no
// nonconformity naming it is still open.
extension OSCALAssessmentResults {
    /// A nonconformity not closed: open, in progress, or with no status recorded (which Fieldbook
    /// reads as open). Observations and opportunities for improvement are no nonconformities.
    static func isOpen(_ nonconformity: FieldbookStore.Finding) -> Bool { nonconformity.isNonconformity && nonconformity.status != .closed }

    /// The nonconformities naming this requirement, clause or function itself that are not closed.
    /// One raised against a clause as a whole does not count against each requirement below it:
    /// it says the clause is not met, not which of its requirements are not.
    static func openNonconformities(on requirement: RequirementID, in data: ReportData) -> [FieldbookStore.Finding] {
        data.findings(linkedTo: requirement).filter(isOpen)
    }

    /// Compliant, and no open nonconformity names it.
    static func isSatisfied(_ requirement: RequirementID, in data: ReportData) -> Bool {
        data.status(of: requirement) == .compliant && openNonconformities(on: requirement, in: data).isEmpty
    }

    /// The status of a requirement's own result finding. A compliant result next to an open
    /// nonconformity is not satisfied (the nonconformity says it is not met until closed); the
    /// status's remarks say why.
    static func resultStatus(of requirement: RequirementID, _ status: AssessmentStatus, in data: ReportData) -> TargetStatus {
        let open = openNonconformities(on: requirement, in: data)
        if isSatisfied(requirement, in: data) { return TargetStatus(state: "satisfied", reason: "pass") }
        guard status == .compliant, !open.isEmpty else { return TargetStatus(state: "not-satisfied", reason: "fail") }
        let names = open.map { "\"\($0.title ?? "untitled")\" (\($0.status?.rawValue ?? "open"))" }.joined(separator: ", ")
        return TargetStatus(state: "not-satisfied", reason: "fail",
                            remarks: "Assessed compliant, but \(open.count == 1 ? "a nonconformity names" : "nonconformities name") it and"
                                + " \(open.count == 1 ? "is" : "are") not closed: \(names). Not satisfied until closed.")
    }

    /// How far the requirement is implemented, in OSCAL's words: compliant is `implemented`,
    /// partially compliant `partial`. OSCAL has no "not implemented"; non-compliant is `planned`
    /// only when an open nonconformity naming it records a corrective action (that is the plan),
    /// and has no implementation status otherwise, rather than one the data does not support.
    /// A compliant result keeps `implemented` next to an open nonconformity: it is what the
    /// assessor recorded; the target's status (not satisfied) carries the nonconformity.
    static func implementation(of requirement: RequirementID, _ status: AssessmentStatus, in data: ReportData) -> ImplementationStatus? {
        switch status {
        case .compliant: return ImplementationStatus(state: "implemented")
        case .partiallyCompliant: return ImplementationStatus(state: "partial")
        case .nonCompliant:
            guard let planned = openNonconformities(on: requirement, in: data).first(where: { $0.correctiveAction != nil }),
                  let action = planned.correctiveAction else { return nil }
            return ImplementationStatus(state: "planned", remarks: "Corrective action of the open nonconformity"
                                            + " \"\(planned.title ?? "untitled")\": \(action)")
        case .notApplicable, .notAssessed: return nil
        }
    }

    /// The status of a nonconformity's finding: satisfied only when the nonconformity is closed
    /// and what it targets is met (`scope`); closing the corrective action alone is no pass.
    static func nonconformityStatus(_ nonconformity: FieldbookStore.Finding, met: Bool) -> TargetStatus {
        if isOpen(nonconformity) {
            return TargetStatus(state: "not-satisfied", reason: "fail",
                                remarks: "The nonconformity is \(nonconformity.status?.rawValue ?? "open"): its target is not satisfied until it is closed.")
        }
        return met ? TargetStatus(state: "satisfied", reason: "pass") : TargetStatus(state: "not-satisfied", reason: "fail")
    }

    /// What a nonconformity's target covers and whether it is met. A requirement is met when
    /// it is satisfied (compliant, no open nonconformity). A clause or function is met only when
    /// no open nonconformity names it and every assessable requirement below it that is in review
    /// is satisfied (excluded and not-applicable ones cannot be, so they are not asked of it).
    static func scope(of entry: Requirement, in data: ReportData, excluded: Set<RequirementID>)
        -> (met: Bool, covers: [RequirementID], remarks: String?) {
        if entry.assessable {
            let note: String? = switch (data.status(of: entry.id), data.applicability[entry.id]?.applicability) {
            case (.notApplicable?, _): "Raised against a requirement assessed not applicable."
            case (_, .excluded?): "Raised against a control the Statement of Applicability excludes."
            default: nil
            }
            return (isSatisfied(entry.id, in: data), [], note)
        }
        let covers = data.library.catalog(entry.id.framework).assessableParts(of: entry.id).map(\.id)
        let inReview = covers.filter { !excluded.contains($0) }
        let met = openNonconformities(on: entry.id, in: data).isEmpty && !inReview.isEmpty && inReview.allSatisfy { isSatisfied($0, in: data) }
        let refs = covers.map(\.local).joined(separator: ", ")
        return (met, covers, "Raised against \(entry.ref) as a whole; it covers \(refs.isEmpty ? "no assessable requirement" : refs),"
                + " and is satisfied only when every one in review is compliant.")
    }
}

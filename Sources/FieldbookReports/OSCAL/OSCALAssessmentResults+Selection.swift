import FieldbookModel
import FieldbookStore
import Foundation

// The reviewed controls, with the Statement of Applicability's decisions and justifications.
// OSCAL's `select-control-by-id` (an include- or exclude-controls entry) takes only a control id
// and statement ids, no remarks or props; the control selection around them takes both. So each
// decision is a prop of the selection, `included-by-soa` or `excluded-by-soa`, whose value is the
// control id and whose remarks are the justification (a prop's value is one line; its remarks
// any text).
extension OSCALAssessmentResults {
    /// Reviewed: every assessable requirement not excluded, plus whatever a nonconformity
    /// targets (a clause or function; an excluded control a finding was raised against was
    /// reviewed after all), in publication order. Excluded: Annex A controls the SoA excludes and
    /// requirements assessed not applicable, unless a nonconformity targets them.
    static func reviewedControls(_ data: ReportData, excluded: Set<RequirementID>, targeted: Set<RequirementID>)
        -> (controls: ReviewedControls, included: Int, excluded: Int) {
        let requirements = data.library.frameworks.flatMap(\.requirements)
        let included = requirements.filter { targeted.contains($0.id) || ($0.assessable && !excluded.contains($0.id)) }
            .map { IncludeControl(controlID: OSCALToken.control($0.id.qualified)) }
        let exclusions = requirements.filter { $0.assessable && excluded.contains($0.id) && !targeted.contains($0.id) }
            .map { IncludeControl(controlID: OSCALToken.control($0.id.qualified)) }
        let decisions = requirements.compactMap { requirement -> Prop? in
            guard let decision = data.applicability[requirement.id], let applicability = decision.applicability else { return nil }
            return Prop(name: applicability == .excluded ? "excluded-by-soa" : "included-by-soa",
                        value: OSCALToken.control(requirement.id.qualified),
                        remarks: decision.justification.flatMap(\.nonEmpty) ?? "No justification recorded.")
        }
        let selection = ControlSelection(
            props: decisions.nonEmpty, includeControls: included, excludeControls: exclusions.nonEmpty,
            remarks: decisions.isEmpty ? nil
                : "Each Statement of Applicability decision is a prop of this selection (included-by-soa, excluded-by-soa)"
                + " naming the control, with the justification as its remarks. A control the Statement excludes has no result finding.")
        return (ReviewedControls(controlSelections: [selection]), included.count, exclusions.count)
    }

    /// The SoA's word on a control, for the remarks of its result observation; nil when undecided.
    /// `targeted`: a nonconformity names the control, which makes an excluded one reviewed.
    static func applicabilityRemark(_ requirement: RequirementID, in data: ReportData, targeted: Bool) -> String? {
        guard let decision = data.applicability[requirement], let applicability = decision.applicability else { return nil }
        let justification = decision.justification.flatMap(\.nonEmpty).map { ": \(sentence($0))" } ?? " (no justification recorded)."
        switch applicability {
        case .included: return "Included in the Statement of Applicability\(justification)"
        case .excluded:
            return "Excluded by the Statement of Applicability\(justification)"
                + " The result is kept as recorded but makes no finding"
                + (targeted ? "; a nonconformity raised against the control makes it reviewed." : ": the control is in exclude-controls.")
        }
    }

    /// Text ending in a full stop (or the punctuation it already ends with).
    static func sentence(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let last = trimmed.last, !".!?".contains(last) else { return trimmed }
        return trimmed + "."
    }
}

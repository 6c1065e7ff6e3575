import FieldbookModel
import FieldbookStore

/// The Statement of Applicability (ISO/IEC 42001 6.1.3): every Annex A control, included or
/// excluded with its justification, its implementation status from the assessment, the
/// evidence behind it, and what the crosswalk relates to it from the AI RMF. A control live
/// risks name as a treating control is included for that reason ("treats ...") unless a
/// decision says otherwise; excluded, it is a contradiction (`RiskTreatmentRules`).
public struct StatementOfApplicability: Encodable, Sendable {
    public let document: DocumentControl
    public let engagement: String
    public let controls: [Control]
    public let summary: Summary

    /// One Annex A control's line in the statement.
    public struct Control: Encodable, Sendable {
        public let control: String
        public let ref: String
        public let title: String
        public let objective: String?
        /// included, excluded, or undecided when nobody has recorded it yet; included when
        /// nobody has but live risks name it as a treating control (`derived`).
        public let applicability: String
        public let justification: String?
        /// The recorded kind of reason (legal, contractual, ...), when one is.
        public let reason: String?
        /// true when the inclusion is derived from the risks treated, no decision recorded.
        public let derived: Bool?
        /// "treats 0193a3f2 (Bias), ...": the live risks naming the control as a treating control.
        public let derivedReason: String?
        public let treats: [String]?
        /// The control is excluded while the risks it treats rely on it (`RiskTreatmentRules`).
        public let contradiction: String?
        public let implementation: String?
        public let maturity: Int64?
        public let evidence: [Evidence]
        public let aiRMF: [Related]
        public let conflicted: Bool
        /// Interviews and sampled tests behind the control, as the register names them ("Dana Lee,
        /// Head of ML (2026-03-02)", "Model releases approved: all 5 items passed"); absent when
        /// there are none (issue 30).
        public var interviews: [String]? = nil
        public var tests: [String]? = nil

        enum CodingKeys: String, CodingKey {
            case control, ref, title, objective, applicability, justification, reason, derived
            case derivedReason = "derived_reason", treats, contradiction, implementation, maturity, evidence
            case aiRMF = "ai_rmf", conflicted, interviews, tests
        }
    }

    /// An evidence file linked to the control.
    public struct Evidence: Encodable, Sendable {
        public let id: String
        public let filename: String?
        public let sha256: String?
        /// The date it speaks for, or the period it covers, when recorded (issue 30).
        public var asOf: String? = nil
        public var periodFrom: String? = nil
        public var periodTo: String? = nil

        enum CodingKeys: String, CodingKey {
            case id, filename, sha256, asOf = "as_of", periodFrom = "period_from", periodTo = "period_to"
        }

        /// "policy.pdf (as of 2026-03-31)": the name, and the date it speaks for when recorded.
        var label: String {
            let name = filename ?? id
            return EvidenceDate.label(asOf: asOf, periodFrom: periodFrom, periodTo: periodTo).map { "\(name) (\($0))" } ?? name
        }
    }

    /// An AI RMF subcategory the crosswalk relates to the control, with its result.
    public struct Related: Encodable, Sendable {
        public let requirement: String
        public let status: String?
    }

    /// The controls counted by applicability.
    public struct Summary: Encodable, Sendable {
        public let controls: Int
        public let included: Int
        public let excluded: Int
        public let undecided: Int
        /// Included controls assessed compliant.
        public let implemented: Int
        /// Exclusions recorded without a justification (possible through concurrent edits).
        public let unjustifiedExclusions: Int
        /// Inclusions derived from the risks treated, no decision recorded; nil when none.
        public let derivedInclusions: Int?
        /// Exclusions contradicting a risk's treatment; nil when none.
        public let contradictions: Int?

        enum CodingKeys: String, CodingKey {
            case controls, included, excluded, undecided, implemented, unjustifiedExclusions = "unjustified_exclusions"
            case derivedInclusions = "derived_inclusions", contradictions
        }
    }

    public init(data: ReportData) {
        document = data.document
        engagement = data.engagementName
        let contradictions = Dictionary(uniqueKeysWithValues: data.treatmentContradictions.map { ($0.control, $0.problem) })
        controls = data.library.iso42001.requirements.filter { $0.level == .control }.map { control in
            let decision = data.applicability[control.id]
            let result = data.results[control.id]
            let treating = data.treatingRisks[control.id] ?? []
            let derived = decision?.applicability == nil && !treating.isEmpty
            return Control(
                control: control.id.qualified, ref: control.ref, title: control.headline, objective: control.parent?.qualified,
                applicability: decision?.applicability?.rawValue ?? (derived ? Applicability.included.rawValue : "undecided"),
                justification: decision?.justification, reason: decision?.reason?.rawValue, derived: derived ? true : nil,
                derivedReason: treating.isEmpty ? nil : RiskTreatmentRules.derivedReason(treating, labels: data.riskLabels),
                treats: treating.isEmpty ? nil : treating.map(\.id.rawValue), contradiction: contradictions[control.id],
                implementation: result?.status?.rawValue, maturity: result?.maturity.map(Int64.init),
                evidence: data.evidence(linkedTo: control.id).map {
                    Evidence(id: $0.id.rawValue, filename: $0.filename, sha256: $0.sha256, asOf: $0.asOf, periodFrom: $0.periodFrom, periodTo: $0.periodTo)
                },
                aiRMF: data.library.crosswalk.links(for: control.id).map { Related(requirement: $0.requirement.qualified, status: data.status(of: $0.requirement)?.rawValue) },
                conflicted: !(decision?.conflictedFields.isEmpty ?? true),
                interviews: data.interviews(linkedTo: control.id).map { "\($0.with)\($0.date.map { " (\($0))" } ?? "")" }.nonEmpty,
                tests: data.tests(linkedTo: control.id).map { "\($0.title ?? "(untitled)"): \(data.items(of: $0).conclusion.sentence)" }.nonEmpty)
        }
        summary = Summary(controls: controls.count, included: controls.filter { $0.applicability == "included" }.count,
                          excluded: controls.filter { $0.applicability == "excluded" }.count,
                          undecided: controls.filter { $0.applicability == "undecided" }.count,
                          implemented: controls.filter { $0.applicability == "included" && $0.implementation == "compliant" }.count,
                          unjustifiedExclusions: controls.filter { $0.applicability == "excluded" && ($0.justification ?? "").isEmpty }.count,
                          derivedInclusions: Self.count(controls.filter { $0.derived == true }.count),
                          contradictions: Self.count(contradictions.count))
    }

    /// A count shown only when something is counted (documents without it stay as they were).
    static func count(_ n: Int) -> Int? { n == 0 ? nil : n
    }
}

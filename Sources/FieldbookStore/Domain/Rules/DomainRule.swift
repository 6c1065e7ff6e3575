import FieldbookCatalogs
import FieldbookModel

/// What each rule of the engagement's domain judges, stated once: `LocalEditRules` refuses a
/// local write that breaks one, and `WorkspaceDomain.anomalies` finds state that breaks one, which
/// can only have come from a peer (an older release, another front end) and is kept, since
/// nothing anyone typed is lost, but shown.
enum DomainRule {
    static func isBlank(_ text: String) -> Bool { text.allSatisfy(\.isWhitespace) }

    /// "Risk title is blank".
    static func blankLabel(kind: EntityKind, field: String) -> String {
        "\(kind.rawValue.prefix(1).uppercased() + kind.rawValue.dropFirst()) \(field) is blank"
    }

    /// Why a result may not stand on `requirement`, if the catalogs say it is a group.
    static func resultProblem(_ requirement: RequirementID, catalogs: CatalogLibrary) -> String? {
        guard let entry = catalogs.index[requirement], !entry.assessable else { return nil }
        return "\(requirement.qualified) is a \(entry.level.rawValue), which takes no result"
    }

    /// "Excluding iso42001:A.8.4 needs a justification".
    static func unjustifiedExclusion(_ control: RequirementID) -> String {
        "Excluding \(control.qualified) needs a justification"
    }

    /// The grade of a nonconformity that stands closed without a verification of effectiveness
    /// and without the reason for closing it so (the override), if it does. ISO/IEC 42001 10.2
    /// closes a major or minor nonconformity once its correction is verified effective;
    /// observations, opportunities for improvement and ungraded findings close freely.
    static func unverifiedClosure(severity: FindingSeverity?, status: FindingStatus?, verification: VerificationResult?,
                                  override: String?) -> FindingSeverity? {
        guard status == .closed, let severity, severity.isNonconformity, verification != .effective, isBlank(override ?? "") else { return nil }
        return severity
    }

    /// "Major nonconformity closed without an effective verification".
    static func unverifiedClosure(_ grade: FindingSeverity) -> String {
        "\(grade.rawValue.capitalized) nonconformity closed without an effective verification"
    }

    /// Why a period evidence covers does not hold together, if it does not: one end without the
    /// other, or an end before its start.
    static func periodProblem(from: String?, to: String?) -> String? {
        switch (from, to) {
        case (nil, nil): nil
        case let (from?, to?): from <= to ? nil : "The evidence period ends (\(to)) before it starts (\(from))"
        default: "The evidence period has only one end"
        }
    }

    /// "iso42001:A.6.2.4 is excluded from the Statement of Applicability while risk 0193a3f2
    /// (Bias) names it as a treating control": the SoA contradicts the risk treatment (6.1.3).
    static func treatmentContradiction(_ control: RequirementID, risks: [String]) -> String {
        "\(control.qualified) is excluded from the Statement of Applicability while \(risks.count == 1 ? "risk" : "risks") "
            + "\(risks.joined(separator: ", ")) \(risks.count == 1 ? "names" : "name") it as a treating control"
    }
}

/// State that breaks a domain rule: what it is, and on which entity.
public struct DomainAnomaly: Sendable, Equatable {
    public let entity: EntityID
    public let problem: String

    public init(entity: EntityID, problem: String) {
        self.entity = entity
        self.problem = problem
    }
}

extension WorkspaceDomain {
    /// Every entity whose state breaks a rule local writes obey (a received change is kept
    /// whatever its release allowed): results on groups, exclusions without a justification,
    /// nonconformities closed unverified, blank titles, names and owners. In entity order.
    public func anomalies() throws -> [DomainAnomaly] {
        let catalogs = try workspace.libraries.catalogs(mappings: false).library
        var found: [DomainAnomaly] = []
        for result in try workspace.all(AssessmentResult.self) {
            if let requirement = result.requirement, result.status?.isAssessed == true, let problem = DomainRule.resultProblem(requirement, catalogs: catalogs) {
                found.append(DomainAnomaly(entity: result.id, problem: problem))
            }
        }
        for decision in try workspace.all(ControlApplicability.self) where decision.applicability == .excluded {
            if let control = decision.control, DomainRule.isBlank(decision.justification ?? "") {
                found.append(DomainAnomaly(entity: decision.id, problem: DomainRule.unjustifiedExclusion(control)))
            }
        }
        for finding in try workspace.all(Finding.self) {
            if let grade = DomainRule.unverifiedClosure(severity: finding.severity, status: finding.status, verification: finding.verification,
                                                        override: finding.closedWithoutVerification) {
                found.append(DomainAnomaly(entity: finding.id, problem: DomainRule.unverifiedClosure(grade)))
            }
        }
        for evidence in try workspace.all(Evidence.self) {
            if let problem = DomainRule.periodProblem(from: evidence.periodFrom, to: evidence.periodTo) {
                found.append(DomainAnomaly(entity: evidence.id, problem: problem))
            }
        }
        for kind in EntityKind.allCases {
            let labels = EntitySchema.fields(of: kind).keys.filter { EntitySchema.isLabel($0, in: kind) }.sorted()
            guard !labels.isEmpty else { continue }
            for record in try workspace.records(kind) {
                for field in labels {
                    if case .text(let text)? = record.fields[field], DomainRule.isBlank(text) {
                        found.append(DomainAnomaly(entity: record.id, problem: DomainRule.blankLabel(kind: kind, field: field)))
                    }
                }
            }
        }
        return found.sorted { ($0.entity, $0.problem) < ($1.entity, $1.problem) }
    }
}

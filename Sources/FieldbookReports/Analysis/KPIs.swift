import FieldbookModel
import FieldbookStore

/// The figures leaders track, the same in every report and format.
public struct KPIs: Encodable, Sendable {
    public let frameworks: [FrameworkFigures]
    public let crosswalk: CrosswalkFigures
    public let risks: RiskFigures
    public let findings: FindingFigures
    public let evidence: EvidenceFigures

    public struct FrameworkFigures: Encodable, Sendable {
        public let framework: String
        public let requirements: Int
        public let assessed: Int
        public let assessed_percent: Double
        /// Shares of the assessed requirements (not-applicable ones included in the count).
        public let compliant_percent: Double
        public let partially_compliant_percent: Double
        public let non_compliant_percent: Double
        public let not_applicable_percent: Double
    }

    public struct CrosswalkFigures: Encodable, Sendable {
        public let rows: Int
        /// Rows where both ends carry a judgement (compliant, partially or non-compliant).
        public let both_assessed: Int
        public let agree: Int
        public let disagree: Int
        public let agree_percent: Double
        public let disagree_percent: Double
        public let disagreements: [Disagreement]
    }

    public struct Disagreement: Encodable, Sendable {
        public let nist_ai_rmf: String
        public let nist_status: String
        public let iso42001: String
        public let iso_status: String
    }

    public struct RiskFigures: Encodable, Sendable {
        public let identified: Int
        public let mitigated: Int
        public let open: Int
        public let by_level: [String: Int]
    }

    public struct FindingFigures: Encodable, Sendable {
        public let open: Int
        public let open_by_severity: [String: Int]
        public let closed: Int
        /// Open findings whose corrective action is past its due date.
        public let overdue: Int
        public let overdue_findings: [Overdue]
    }

    public struct Overdue: Encodable, Sendable {
        public let finding: String
        public let title: String
        public let due: String
        public let owner: String?
    }

    public struct EvidenceFigures: Encodable, Sendable {
        public let files: Int
        public let unverified: Int
    }

    static func percent(_ part: Int, _ whole: Int) -> Double {
        whole == 0 ? 0 : (Double(part) * 1000 / Double(whole)).rounded() / 10
    }

    public init(data: ReportData) {
        frameworks = data.library.frameworks.map { catalog in
            let statuses = catalog.assessable.compactMap { data.status(of: $0.id) }.filter(\.isAssessed)
            func share(_ status: AssessmentStatus) -> Double { KPIs.percent(statuses.filter { $0 == status }.count, statuses.count) }
            return FrameworkFigures(framework: catalog.framework.rawValue, requirements: catalog.assessable.count, assessed: statuses.count,
                                    assessed_percent: KPIs.percent(statuses.count, catalog.assessable.count),
                                    compliant_percent: share(.compliant), partially_compliant_percent: share(.partiallyCompliant),
                                    non_compliant_percent: share(.nonCompliant), not_applicable_percent: share(.notApplicable))
        }
        let judged: Set<AssessmentStatus> = [.compliant, .partiallyCompliant, .nonCompliant]
        var agree = 0
        var disagreements: [Disagreement] = []
        for row in data.library.crosswalk.rows {
            guard let left = data.status(of: row.source), let right = data.status(of: row.target),
                  judged.contains(left), judged.contains(right) else { continue }
            if left == right { agree += 1 } else {
                disagreements.append(Disagreement(nist_ai_rmf: row.source.qualified, nist_status: left.rawValue,
                                                  iso42001: row.target.qualified, iso_status: right.rawValue))
            }
        }
        let both = agree + disagreements.count
        crosswalk = CrosswalkFigures(rows: data.library.crosswalk.rows.count, both_assessed: both, agree: agree, disagree: disagreements.count,
                                     agree_percent: KPIs.percent(agree, both), disagree_percent: KPIs.percent(disagreements.count, both),
                                     disagreements: disagreements)
        var levels = Dictionary(uniqueKeysWithValues: RiskLevel.allCases.map { ($0.rawValue, 0) })
        for risk in data.risks { levels[RiskRegister.level(of: risk).rawValue, default: 0] += 1 }
        let mitigated = data.risks.filter { $0.text("status") == RiskStatus.mitigated.rawValue || $0.text("status") == RiskStatus.closed.rawValue }.count
        risks = RiskFigures(identified: data.risks.count, mitigated: mitigated, open: data.risks.count - mitigated, by_level: levels)
        let open = data.findings.filter { $0.text("status") != FindingStatus.closed.rawValue }
        var severities = Dictionary(uniqueKeysWithValues: FindingSeverity.allCases.map { ($0.rawValue, 0) })
        for finding in open { severities[finding.text("severity") ?? "unrated", default: 0] += 1 }
        let overdue = data.overdueFindings.map {
            Overdue(finding: $0.id.rawValue, title: $0.text("title") ?? "", due: $0.text("due") ?? "", owner: $0.text("owner"))
        }
        findings = FindingFigures(open: open.count, open_by_severity: severities, closed: data.findings.count - open.count,
                                  overdue: overdue.count, overdue_findings: overdue)
        evidence = EvidenceFigures(files: data.evidence.count, unverified: data.unverifiedEvidence.count)
    }
}

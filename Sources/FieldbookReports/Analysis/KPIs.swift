import FieldbookModel
import FieldbookStore

/// The figures leaders track, the same in every report and format.
public struct KPIs: Encodable, Sendable {
    public let frameworks: [FrameworkFigures]
    public let crosswalk: CrosswalkFigures
    public let risks: RiskFigures
    public let findings: FindingFigures
    public let evidence: EvidenceFigures
    /// Evidence requests to the client; nil while there are none, so an engagement without
    /// them shows the figures it did before them.
    public let requests: RequestFigures?
    /// Fieldwork: sampled tests and interviews (issue 30); nil while there are none, as requests.
    public let fieldwork: FieldworkFigures?

    /// How far one framework's assessment has got, in percentages with one decimal.
    public struct FrameworkFigures: Encodable, Sendable {
        public let framework: String
        /// The name a reader knows the framework by (`FrameworkCatalog.shortName`).
        public let name: String
        public let requirements: Int
        public let assessed: Int
        public let assessedPercent: Double
        /// Shares of the assessed requirements (not-applicable ones included in the count).
        public let compliantPercent: Double
        public let partiallyCompliantPercent: Double
        public let nonCompliantPercent: Double
        public let notApplicablePercent: Double

        enum CodingKeys: String, CodingKey {
            case framework, name, requirements, assessed, assessedPercent = "assessed_percent", compliantPercent = "compliant_percent"
            case partiallyCompliantPercent = "partially_compliant_percent", nonCompliantPercent = "non_compliant_percent"
            case notApplicablePercent = "not_applicable_percent"
        }
    }

    /// Whether the two frameworks' results agree where the crosswalk relates them.
    public struct CrosswalkFigures: Encodable, Sendable {
        public let rows: Int
        /// Rows where both ends carry a judgement (compliant, partially or non-compliant).
        public let bothAssessed: Int
        public let agree: Int
        public let disagree: Int
        public let agreePercent: Double
        public let disagreePercent: Double
        public let disagreements: [Disagreement]

        enum CodingKeys: String, CodingKey {
            case rows, bothAssessed = "both_assessed", agree, disagree, agreePercent = "agree_percent"
            case disagreePercent = "disagree_percent", disagreements
        }
    }

    /// A crosswalk row whose two ends carry different judgements.
    public struct Disagreement: Encodable, Sendable {
        public let nistAIRMF: String
        public let nistStatus: String
        public let iso42001: String
        public let isoStatus: String

        enum CodingKeys: String, CodingKey {
            case nistAIRMF = "nist_ai_rmf", nistStatus = "nist_status", iso42001, isoStatus = "iso_status"
        }
    }

    /// Risks identified and mitigated (or closed), and how many sit at each level.
    public struct RiskFigures: Encodable, Sendable {
        public let identified: Int
        public let mitigated: Int
        public let open: Int
        public let byLevel: [String: Int]
        /// The engagement's risk acceptance level, and how many live risks are above it
        /// (`RiskAcceptance`) with no acceptance recorded; both nil while no level is set.
        public let acceptanceLevel: String?
        public let unaccepted: Int?

        enum CodingKeys: String, CodingKey {
            case identified, mitigated, open, byLevel = "by_level", acceptanceLevel = "acceptance_level", unaccepted = "above_acceptance_unaccepted"
        }

        /// "2 above the acceptance level (medium) with no acceptance", when a level is set.
        public var acceptanceSentence: String? {
            guard let acceptanceLevel, let unaccepted else { return nil }
            return "\(unaccepted) above the acceptance level (\(acceptanceLevel)) with no acceptance"
        }

        /// The counts by level as a reader scans them: critical, high, medium, low.
        public var levelsWorstFirst: [NamedCount] {
            RiskLevel.allCases.reversed().map { NamedCount(name: $0.rawValue, count: byLevel[$0.rawValue] ?? 0) }
        }
    }

    /// A count under its name, in the order a list shows it.
    public struct NamedCount: Sendable, Equatable {
        public let name: String
        public let count: Int
    }

    /// Findings open and closed, open ones by grade (major, minor, unrated; observations and
    /// opportunities for improvement apart, once there are any), and overdue corrective actions.
    public struct FindingFigures: Encodable, Sendable {
        public let open: Int
        public let openBySeverity: [String: Int]
        public let closed: Int
        /// Open findings whose corrective action is past its due date.
        public let overdue: Int
        public let overdueFindings: [Overdue]

        enum CodingKeys: String, CodingKey {
            case open, openBySeverity = "open_by_severity", closed, overdue, overdueFindings = "overdue_findings"
        }

        /// Open findings by grade: major, minor, those without one, then observations and
        /// opportunities for improvement.
        public var severitiesWorstFirst: [NamedCount] {
            openBySeverity.map { NamedCount(name: $0.key, count: $0.value) }
                .sorted { FindingSeverity.rank(FindingSeverity(rawValue: $0.name)) < FindingSeverity.rank(FindingSeverity(rawValue: $1.name)) }
        }
    }

    /// The severity key of open findings that have none.
    static let unrated = "unrated"

    /// A finding whose corrective action is past its due date.
    public struct Overdue: Encodable, Sendable {
        public let finding: String
        public let title: String
        public let due: String
        public let owner: String?
    }

    /// Evidence files, how many of them are missing or damaged in this workspace, and how many
    /// speak for a date older than the engagement's limit (`stale_after`; both nil while none is set).
    public struct EvidenceFigures: Encodable, Sendable {
        public let files: Int
        public let unverified: Int
        public let staleAfter: String?
        public let stale: Int?

        enum CodingKeys: String, CodingKey {
            case files, unverified, staleAfter = "stale_after", stale
        }

        /// "1 older than 12m", when a limit is set.
        public var staleSentence: String? {
            guard let staleAfter, let stale else { return nil }
            return "\(stale) older than \(staleAfter)"
        }
    }

    /// Evidence requests by where they stand, and those overdue (`RequestDeadline`).
    public struct RequestFigures: Encodable, Sendable {
        public let total: Int
        /// Waiting on the client: requested, or rejected and asked again.
        public let outstanding: Int
        public let received: Int
        public let accepted: Int
        public let overdue: Int
        public let overdueRequests: [OverdueRequest]

        enum CodingKeys: String, CodingKey {
            case total, outstanding, received, accepted, overdue, overdueRequests = "overdue_requests"
        }

        /// "4 requests: 2 outstanding (1 overdue), 1 received, 1 accepted".
        public var sentence: String {
            "\(counted(total, "request")): \(outstanding) outstanding (\(overdue) overdue), \(received) received, \(accepted) accepted"
        }
    }

    /// Sampled tests by conclusion, their items, and the interviews held.
    public struct FieldworkFigures: Encodable, Sendable {
        public let tests: Int
        public let passed: Int
        public let withExceptions: Int
        public let itemsDrawn: Int
        public let itemsTested: Int
        public let exceptions: Int
        public let interviews: Int

        enum CodingKeys: String, CodingKey {
            case tests, passed, withExceptions = "with_exceptions", itemsDrawn = "items_drawn", itemsTested = "items_tested", exceptions, interviews
        }

        /// "2 sampled tests (1 passed, 1 with exceptions): 23 of 30 items tested, 2 exceptions; 3 interviews".
        public var sentence: String {
            "\(counted(tests, "sampled test")) (\(passed) passed, \(withExceptions) with exceptions): \(itemsTested) of \(counted(itemsDrawn, "item")) tested, "
                + "\(counted(exceptions, "exception")); \(counted(interviews, "interview"))"
        }
    }

    /// An evidence request waiting on the client past its due date.
    public struct OverdueRequest: Encodable, Sendable {
        public let request: String
        public let title: String
        public let due: String
        public let contact: String?
    }

    static func percent(_ part: Int, _ whole: Int) -> Double {
        whole == 0 ? 0 : (Double(part) * 1000 / Double(whole)).rounded() / 10
    }

    public init(data: ReportData) {
        frameworks = data.library.frameworks.map { catalog in
            let statuses = catalog.assessable.compactMap { data.inScopeStatus(of: $0.id) }.filter(\.isAssessed)
            func share(_ status: AssessmentStatus) -> Double { KPIs.percent(statuses.filter { $0 == status }.count, statuses.count) }
            return FrameworkFigures(framework: catalog.framework.rawValue, name: catalog.shortName, requirements: catalog.assessable.count, assessed: statuses.count,
                                    assessedPercent: KPIs.percent(statuses.count, catalog.assessable.count),
                                    compliantPercent: share(.compliant), partiallyCompliantPercent: share(.partiallyCompliant),
                                    nonCompliantPercent: share(.nonCompliant), notApplicablePercent: share(.notApplicable))
        }
        let judged: Set<AssessmentStatus> = [.compliant, .partiallyCompliant, .nonCompliant]
        var agree = 0
        var disagreements: [Disagreement] = []
        for row in data.library.crosswalk.rows {
            guard let left = data.inScopeStatus(of: row.source), let right = data.inScopeStatus(of: row.target),
                  judged.contains(left), judged.contains(right) else { continue }
            if left == right { agree += 1 } else {
                disagreements.append(Disagreement(nistAIRMF: row.source.qualified, nistStatus: left.rawValue,
                                                  iso42001: row.target.qualified, isoStatus: right.rawValue))
            }
        }
        let both = agree + disagreements.count
        crosswalk = CrosswalkFigures(rows: data.library.crosswalk.rows.count, bothAssessed: both, agree: agree, disagree: disagreements.count,
                                     agreePercent: KPIs.percent(agree, both), disagreePercent: KPIs.percent(disagreements.count, both),
                                     disagreements: disagreements)
        var levels = Dictionary(uniqueKeysWithValues: RiskLevel.allCases.map { ($0.rawValue, 0) })
        for risk in data.risks { levels[RiskRegister.level(of: risk).rawValue, default: 0] += 1 }
        let mitigated = data.risks.filter { $0.status == .mitigated || $0.status == .closed }.count
        risks = RiskFigures(identified: data.risks.count, mitigated: mitigated, open: data.risks.count - mitigated, byLevel: levels,
                            acceptanceLevel: data.riskAcceptanceLevel?.rawValue,
                            unaccepted: data.riskAcceptanceLevel.map { level in data.risks.filter { $0.lacksAcceptance(at: level) }.count })
        let open = data.findings.filter { $0.status != .closed }
        var severities = Dictionary(uniqueKeysWithValues: FindingSeverity.nonconformityGrades.map { ($0.rawValue, 0) })
        for finding in open { severities[finding.severity?.rawValue ?? KPIs.unrated, default: 0] += 1 }
        let overdue = data.overdueFindings.map {
            Overdue(finding: $0.id.rawValue, title: $0.title ?? "", due: $0.due ?? "", owner: $0.owner)
        }
        findings = FindingFigures(open: open.count, openBySeverity: severities, closed: data.findings.count - open.count,
                                  overdue: overdue.count, overdueFindings: overdue)
        evidence = EvidenceFigures(files: data.evidence.count, unverified: data.unverifiedEvidence.count,
                                   staleAfter: data.staleAfter?.description, stale: data.staleAfter.map { _ in data.staleEvidence.count })
        let live = data.requests.filter { !$0.deleted }
        requests = live.isEmpty ? nil : RequestFigures(
            total: live.count, outstanding: live.filter(\.status.isOutstanding).count, received: live.filter { $0.status == .received }.count,
            accepted: live.filter { $0.status == .accepted }.count, overdue: data.overdueRequests.count,
            overdueRequests: data.overdueRequests.map { OverdueRequest(request: $0.id.rawValue, title: $0.title ?? "", due: $0.due ?? "", contact: $0.contact) })
        let items = data.tests.map { data.items(of: $0) }
        let conclusions = items.map(\.conclusion)
        fieldwork = data.tests.isEmpty && data.interviews.isEmpty ? nil : FieldworkFigures(
            tests: data.tests.count, passed: conclusions.filter { if case .passed = $0 { true } else { false } }.count,
            withExceptions: conclusions.filter { if case .exceptions = $0 { true } else { false } }.count,
            itemsDrawn: items.map(\.count).reduce(0, +), itemsTested: items.map { $0.filter { $0.result != nil }.count }.reduce(0, +),
            exceptions: items.map { $0.filter { $0.result == .exception }.count }.reduce(0, +), interviews: data.interviews.count)
    }
}

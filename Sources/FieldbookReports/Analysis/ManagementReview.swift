import FieldbookCatalogs
import FieldbookModel
import FieldbookReplica
import FieldbookStore

/// The inputs to a management review (ISO/IEC 42001:2023, 9.3.2) gathered from what the
/// engagement holds, for a review period starting `since` (UTC date; the engagement's first
/// change by default) and ending today:
/// a) the status of actions from earlier reviews: corrective actions raised before the period,
///    and where each stands;
/// b), c) changes in issues and in interested parties' needs: not held by Fieldbook, said so;
/// d) performance: 1) nonconformities and corrective actions raised and closed in the period,
///    2) monitoring and measurement: each framework's assessed and compliant share and the gaps
///    opened and closed in the period, 3) audit results by source;
/// and the changes in risks (6.1, asked for by 9.3.2 d and by the review's outputs): risks
/// identified, raised to high or critical, and mitigated in the period;
/// e) opportunities for continual improvement: findings that are not nonconformities
///    (an observation or an opportunity for improvement, once recorded so), and open gaps.
public struct ManagementReview: Encodable, Sendable {
    public let document: DocumentControl
    public let engagement: String
    /// The period under review: from `since` to `until` (today), both UTC dates.
    public let since: String
    public let until: String
    public let earlierActions: [Action]
    /// Nonconformities raised in the period, or closed in it, each with its 10.2 record.
    public let periodActions: [Action]
    public let nonconformities: Nonconformities
    public let monitoring: [Monitoring]
    /// Gaps (a result shown non- or partially compliant) opened and closed in the period, all frameworks.
    public let gapsOpened: Int
    public let gapsClosed: Int
    public let audits: [AuditSource]
    public let risks: RiskChanges
    public let improvement: [Action]
    /// The 9.3.2 inputs Fieldbook does not record, named so the review brings them itself.
    public let notHeld: [String]

    enum CodingKeys: String, CodingKey {
        case document, engagement, since, until, earlierActions = "earlier_actions", periodActions = "period_actions", nonconformities, monitoring
        case gapsOpened = "gaps_opened", gapsClosed = "gaps_closed", audits, risks
        case improvement, notHeld = "not_held"
    }

    /// A corrective action or improvement as the review reads it.
    public struct Action: Encodable, Sendable {
        public let finding: String
        public let title: String
        public let severity: String?
        public let status: String
        public let owner: String?
        public let due: String?
        public let overdue: Bool
        public let raised: String
        /// A nonconformity's record under 10.2: why it happened, what is done about it, and
        /// whether that was verified effective (or closed without, by override).
        public let rootCause: String?
        public let correctiveAction: String?
        public let verification: String?

        enum CodingKeys: String, CodingKey {
            case finding, title, severity, status, owner, due, overdue, raised
            case rootCause = "root_cause", correctiveAction = "corrective_action", verification
        }
    }

    public struct Nonconformities: Encodable, Sendable {
        public let raised: Int
        public let closed: Int
        public let openAtEnd: Int
        public let overdueAtEnd: Int
        enum CodingKeys: String, CodingKey { case raised, closed, openAtEnd = "open_at_end", overdueAtEnd = "overdue_at_end" }
    }

    public struct Monitoring: Encodable, Sendable {
        public let framework: String
        public let name: String
        public let assessedPercent: Double
        public let compliantPercent: Double
        public let openGaps: Int
        enum CodingKeys: String, CodingKey {
            case framework, name, assessedPercent = "assessed_percent", compliantPercent = "compliant_percent", openGaps = "open_gaps"
        }
    }

    public struct AuditSource: Encodable, Sendable {
        public let source: String
        public let raised: Int
        public let open: Int
    }

    public struct RiskChanges: Encodable, Sendable {
        public let identified: Int
        public let raisedToHigh: Int
        public let mitigated: Int
        public let openHighOrCritical: Int
        enum CodingKeys: String, CodingKey {
            case identified, raisedToHigh = "raised_to_high", mitigated, openHighOrCritical = "open_high_or_critical"
        }
    }

    /// `changes` is the workspace's log (any order); `since` a UTC date, nil for the whole engagement.
    public init(data: ReportData, changes: [Change], since: String?) {
        document = data.document
        engagement = data.engagementName
        let ordered = changes.sorted { $0.precedes($1) }
        let first = ordered.first.map { Timestamps.rfc3339(milliseconds: $0.hlc.wallMilliseconds).prefix(10) }.map(String.init)
        let start = since ?? first ?? data.today
        self.since = start
        until = data.today
        let inPeriod = { (milliseconds: UInt64) in Timestamps.rfc3339(milliseconds: milliseconds).prefix(10) >= start }
        let day = { (timestamp: HLCTimestamp) in String(Timestamps.rfc3339(milliseconds: timestamp.wallMilliseconds).prefix(10)) }

        let findings = data.findings.filter { !$0.deleted }
        let action = { (finding: Finding) in
            Action(finding: finding.id.rawValue, title: finding.title ?? "", severity: finding.severity?.rawValue,
                   status: (finding.status ?? .open).rawValue, owner: finding.owner, due: finding.due,
                   overdue: finding.isOverdue(today: data.today), raised: day(finding.created),
                   rootCause: finding.rootCause, correctiveAction: finding.correctiveAction,
                   verification: finding.closedWithoutVerification.map(Finding.closedWithout)
                       ?? finding.verification.map { Finding.verified($0.rawValue, by: finding.verifiedBy, on: finding.verifiedOn) })
        }
        let nonconformities = findings.filter(\.isNonconformity)
        earlierActions = nonconformities.filter { !inPeriod($0.created.wallMilliseconds) }.sorted(by: Self.order).map(action)
        improvement = findings.filter { !$0.isNonconformity }.sorted(by: Self.order).map(action)

        // When each finding was closed and each risk mitigated or raised to high: from the log.
        var closedAt: [EntityID: UInt64] = [:], mitigatedAt: [EntityID: UInt64] = [:], highAt: [EntityID: UInt64] = [:]
        var likelihood: [EntityID: Int] = [:], impact: [EntityID: Int] = [:]
        for change in ordered {
            switch (change.kind, change.field, change.value) {
            case (.finding, FindingField.status.name, .enumCase(FindingStatus.closed.rawValue)):
                closedAt[change.entity] = change.hlc.wallMilliseconds
            case (.risk, RiskField.status.name, .enumCase(let status)) where status == RiskStatus.mitigated.rawValue || status == RiskStatus.closed.rawValue:
                if mitigatedAt[change.entity] == nil { mitigatedAt[change.entity] = change.hlc.wallMilliseconds }
            case (.risk, RiskField.likelihood.name, .integer(let value)), (.risk, RiskField.impact.name, .integer(let value)):
                if change.field == RiskField.likelihood.name { likelihood[change.entity] = Int(value) } else { impact[change.entity] = Int(value) }
                if highAt[change.entity] == nil, let rating = RiskRating(likelihood: likelihood[change.entity], impact: impact[change.entity]),
                   rating.level >= .high {
                    highAt[change.entity] = change.hlc.wallMilliseconds
                }
            default: break
            }
        }
        periodActions = nonconformities.filter { finding in
            inPeriod(finding.created.wallMilliseconds) || (finding.status == .closed && closedAt[finding.id].map(inPeriod) == true)
        }.sorted(by: Self.order).map(action)
        let open = nonconformities.filter { $0.status != .closed }
        self.nonconformities = Nonconformities(
            raised: nonconformities.filter { inPeriod($0.created.wallMilliseconds) }.count,
            closed: nonconformities.filter { $0.status == .closed && closedAt[$0.id].map(inPeriod) == true }.count,
            openAtEnd: open.count, overdueAtEnd: open.filter { $0.isOverdue(today: data.today) }.count)
        // By what raised them; findings whose source is not recorded count apart, so the rows add up.
        audits = (FindingSource.allCases.map(Optional.some) + [nil]).compactMap { source in
            let raised = findings.filter { $0.source == source }
            guard source != nil || !raised.isEmpty else { return nil }
            return AuditSource(source: source?.rawValue ?? "not recorded", raised: raised.count, open: raised.filter { $0.status != .closed }.count)
        }
        let risks = data.risks.filter { !$0.deleted }
        self.risks = RiskChanges(
            identified: risks.filter { inPeriod($0.created.wallMilliseconds) }.count,
            raisedToHigh: risks.filter { highAt[$0.id].map(inPeriod) == true }.count,
            mitigated: risks.filter { mitigatedAt[$0.id].map(inPeriod) == true }.count,
            openHighOrCritical: risks.filter { ($0.level ?? .low) >= .high && $0.status != .mitigated && $0.status != .closed }.count)

        let kpis = KPIs(data: data)
        let progress = ProgressReport(changes: changes, document: data.document, library: data.library, by: .month)
        let periodGaps = progress.periods.filter { $0.period >= String(start.prefix(7)) }
        gapsOpened = periodGaps.reduce(0) { $0 + $1.gapsOpened }
        gapsClosed = periodGaps.reduce(0) { $0 + $1.gapsClosed }
        monitoring = kpis.frameworks.map { figures in
            let catalog = data.library.frameworks.first { $0.framework.rawValue == figures.framework }
            let gaps = catalog.map { catalog in
                catalog.assessable.filter { ProgressReport.gapStatuses.contains(data.inScopeStatus(of: $0.id)?.rawValue ?? "") }.count
            } ?? 0
            return Monitoring(framework: figures.framework, name: figures.name, assessedPercent: figures.assessedPercent,
                              compliantPercent: figures.compliantPercent, openGaps: gaps)
        }
        notHeld = ["changes in external and internal issues relevant to the AI management system (9.3.2 b)",
                   "changes in the needs and expectations of interested parties (9.3.2 c)"]
    }

    /// Open first, then by due date, then by title.
    static func order(_ a: Finding, _ b: Finding) -> Bool {
        let (openA, openB) = (a.status != .closed, b.status != .closed)
        if openA != openB { return openA }
        return (a.due ?? "9999", a.title ?? "") < (b.due ?? "9999", b.title ?? "")
    }
}

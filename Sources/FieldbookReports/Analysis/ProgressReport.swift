import FieldbookCatalogs
import FieldbookModel
import FieldbookReplica
import Foundation

/// Progress over time, read from the change log alone (the history already knows when each
/// thing changed): gaps (non-compliant or partially compliant results) opened and closed per
/// month or quarter, the share assessed at the end of each period, and how long high and
/// critical risks took from being logged to being mitigated.
///
/// The log is replayed in HLC order through the merge core, so what counts at each moment is
/// the value a replica holding those changes would have shown.
public struct ProgressReport: Encodable, Sendable {
    /// How the history is cut: calendar months or quarters, in UTC.
    public enum Period: String, Sendable, Codable, CaseIterable { case month, quarter }

    public let document: DocumentControl
    public let engagement: String
    public let by: String
    public let requirements: Int
    public let periods: [Row]
    public let highRisks: HighRisks

    enum CodingKeys: String, CodingKey { case document, engagement, by, requirements, periods, highRisks = "high_risks" }

    /// One period: gaps opened and closed in it, and where things stood at its end.
    public struct Row: Encodable, Sendable {
        public let period: String
        public let gapsOpened: Int
        public let gapsClosed: Int
        /// At the end of the period.
        public let openGaps: Int
        public let assessed: Int
        public let assessedPercent: Double

        enum CodingKeys: String, CodingKey {
            case period, gapsOpened = "gaps_opened", gapsClosed = "gaps_closed", openGaps = "open_gaps", assessed
            case assessedPercent = "assessed_percent"
        }
    }

    /// High and critical risks: how many were logged, mitigated, and how many days mitigating took.
    public struct HighRisks: Encodable, Sendable {
        public let logged: Int
        public let mitigated: Int
        public let stillOpen: Int
        public let meanDaysToMitigate: Double?
        public let worstDaysToMitigate: Double?

        enum CodingKeys: String, CodingKey {
            case logged, mitigated, stillOpen = "still_open", meanDaysToMitigate = "mean_days_to_mitigate"
            case worstDaysToMitigate = "worst_days_to_mitigate"
        }
    }

    static let gapStatuses: Set<String> = [AssessmentStatus.nonCompliant.rawValue, AssessmentStatus.partiallyCompliant.rawValue]

    /// `changes` is the workspace's whole log, in any order.
    public init(changes: [Change], document: DocumentControl, library: CatalogLibrary, by period: Period) {
        self.document = document
        engagement = document.engagement
        by = period.rawValue
        let assessable = Set(library.frameworks.flatMap(\.assessable).map(\.id))
        requirements = assessable.count
        // Each entity's state as the replay stands: the merge core per entity, without the
        // whole replica's change index (the log holds each dot once).
        var entities: [EntityID: EntityState] = [:]
        var shownStatus: [EntityID: String] = [:]
        var opened: [String: Int] = [:], closed: [String: Int] = [:]
        var snapshot: [String: (gaps: Int, assessed: Int)] = [:]
        var order: [String] = []
        var riskCreated: [EntityID: UInt64] = [:]
        var riskHighSince: Set<EntityID> = []
        var riskMitigated: [EntityID: UInt64] = [:]
        // Open gaps and assessed results as the replay stands, kept as it moves (a recount per
        // change made the report quadratic in the log).
        var gaps = 0, assessedResults = 0
        var lastDay: UInt64?, lastLabel: String?
        let isAssessed = { (status: String?) in status != nil && status != AssessmentStatus.notAssessed.rawValue }
        for change in changes.sorted(by: { $0.precedes($1) }) {
            // The log holds only changes its workspace accepted (`ChangeIntake`): merged as they are.
            entities[change.entity, default: EntityState(id: change.entity, kind: change.kind)].apply(change)
            guard let entity = entities[change.entity] else { continue }
            // One label per day, worked out once: formatting one per change was a seventh of the replay.
            let day = change.hlc.wallMilliseconds / 86_400_000
            let label: String
            if day == lastDay, let known = lastLabel { label = known } else {
                label = Self.label(change.hlc.wallMilliseconds, period)
                lastDay = day
                lastLabel = label
            }
            if order.last != label { order.append(label) }
            switch change.kind {
            case .result where change.field == "status":
                guard let requirement = change.entity.resultRequirement, assessable.contains(requirement) else { break }
                let before = shownStatus[change.entity]
                let after = entity.value("status")?.description
                shownStatus[change.entity] = after
                let wasGap = before.map(Self.gapStatuses.contains) ?? false, isGap = after.map(Self.gapStatuses.contains) ?? false
                if !wasGap && isGap { opened[label, default: 0] += 1 }
                if wasGap && !isGap { closed[label, default: 0] += 1 }
                gaps += (isGap ? 1 : 0) - (wasGap ? 1 : 0)
                assessedResults += (isAssessed(after) ? 1 : 0) - (isAssessed(before) ? 1 : 0)
            case .risk:
                riskCreated[change.entity] = min(riskCreated[change.entity] ?? change.hlc.wallMilliseconds, change.hlc.wallMilliseconds)
                if let rating = RiskRating(fields: entity.value), rating.level >= .high {
                    riskHighSince.insert(change.entity)
                }
                let status = entity.value("status")?.description
                if riskMitigated[change.entity] == nil, status == RiskStatus.mitigated.rawValue || status == RiskStatus.closed.rawValue {
                    riskMitigated[change.entity] = change.hlc.wallMilliseconds
                }
            default: break
            }
            snapshot[label] = (gaps, assessedResults)
        }
        var rows: [Row] = []
        var last = (gaps: 0, assessed: 0)
        for label in Self.allLabels(from: order.first, to: order.last, period) {
            if let figures = snapshot[label] { last = figures }
            rows.append(Row(period: label, gapsOpened: opened[label] ?? 0, gapsClosed: closed[label] ?? 0, openGaps: last.gaps,
                            assessed: last.assessed, assessedPercent: KPIs.percent(last.assessed, assessable.count)))
        }
        periods = rows
        let days = riskHighSince.compactMap { id -> Double? in
            guard let done = riskMitigated[id], let start = riskCreated[id] else { return nil }
            return Double(done - start) / 86_400_000
        }
        highRisks = HighRisks(logged: riskHighSince.count, mitigated: days.count, stillOpen: riskHighSince.count - days.count,
                              meanDaysToMitigate: days.isEmpty ? nil : (days.reduce(0, +) / Double(days.count) * 10).rounded() / 10,
                              worstDaysToMitigate: days.max().map { ($0 * 10).rounded() / 10 })
    }

    static func components(_ milliseconds: UInt64) -> (year: Int, month: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month], from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
        return (parts.year ?? 1970, parts.month ?? 1)
    }

    static func label(_ milliseconds: UInt64, _ period: Period) -> String {
        let (year, month) = components(milliseconds)
        return period == .month ? String(format: "%04d-%02d", year, month) : "\(year)-Q\((month - 1) / 3 + 1)"
    }

    /// Every period from the first to the last, including quiet ones.
    static func allLabels(from first: String?, to last: String?, _ period: Period) -> [String] {
        guard let first, let last else { return [] }
        func parse(_ label: String) -> (Int, Int) {
            let parts = label.split(separator: "-")
            let year = Int(parts[0]) ?? 1970
            let index = period == .month ? (Int(parts[1]) ?? 1) : (Int(parts[1].dropFirst()) ?? 1)
            return (year, index)
        }
        var (year, index) = parse(first)
        let end = parse(last)
        let perYear = period == .month ? 12 : 4
        var labels: [String] = []
        while (year, index) <= end && labels.count < 1_200 {
            labels.append(period == .month ? String(format: "%04d-%02d", year, index) : "\(year)-Q\(index)")
            index += 1
            if index > perYear { index = 1; year += 1 }
        }
        return labels
    }
}

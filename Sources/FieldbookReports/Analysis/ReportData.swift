import FieldbookCatalogs
import FieldbookModel
import FieldbookReplica
import FieldbookStore

/// Everything a report reads, taken from one workspace at one moment: reports are pure
/// functions of this value and the catalogs.
public struct ReportData: Sendable {
    public let engagementID: String
    public let engagementName: String
    public let scope: String?
    public let assessors: [String]
    public let results: [RequirementID: EntityRecord]
    public let risks: [EntityRecord]
    public let evidence: [EntityRecord]
    public let findings: [EntityRecord]
    public let applicability: [RequirementID: EntityRecord]
    public let systems: [EntityRecord]
    public let impacts: [EntityRecord]
    /// Evidence files whose bytes are missing or damaged in this workspace.
    public let unverifiedEvidence: Set<EntityID>
    public let library: CatalogLibrary
    /// Today (UTC, YYYY-MM-DD): corrective actions due before it and not closed are overdue.
    public let today: String
    /// Risks, evidence and findings by the requirements they link to, built once: reports
    /// ask for them per requirement, and a scan per requirement is slow on 10k risks.
    private let linksByRequirement: [EntityKind: [String: [EntityRecord]]]

    public init(engagementID: String, engagementName: String, scope: String?, assessors: [String], results: [RequirementID: EntityRecord],
                risks: [EntityRecord], evidence: [EntityRecord], findings: [EntityRecord],
                applicability: [RequirementID: EntityRecord] = [:], systems: [EntityRecord] = [], impacts: [EntityRecord] = [],
                unverifiedEvidence: Set<EntityID>, library: CatalogLibrary, today: String = Today.utc()) {
        self.engagementID = engagementID
        self.engagementName = engagementName
        self.scope = scope
        self.assessors = assessors
        self.results = results
        self.risks = risks
        self.evidence = evidence
        self.findings = findings
        self.applicability = applicability
        self.systems = systems
        self.impacts = impacts
        self.unverifiedEvidence = unverifiedEvidence
        self.library = library
        self.today = today
        var index: [EntityKind: [String: [EntityRecord]]] = [:]
        for (kind, items) in [(EntityKind.risk, risks), (.evidence, evidence), (.finding, findings)] {
            for item in items {
                for requirement in item.requirements { index[kind, default: [:]][requirement, default: []].append(item) }
            }
        }
        linksByRequirement = index
    }

    /// Findings whose corrective action is due before today and not closed.
    public var overdueFindings: [EntityRecord] {
        findings.filter { Self.isOverdue($0, today: today) }
    }

    /// Dates are `YYYY-MM-DD` text, so comparing them as text compares them as dates.
    public static func isOverdue(_ finding: EntityRecord, today: String) -> Bool {
        guard let due = finding.text("due"), finding.text("status") != FindingStatus.closed.rawValue else { return false }
        return due < today
    }

    /// Reads everything the reports need from the workspace.
    public static func load(_ workspace: Workspace, library: CatalogLibrary) throws -> ReportData {
        let engagement = try workspace.record(workspace.identity.engagement)
        var results: [RequirementID: EntityRecord] = [:]
        for record in try workspace.records(.result) {
            if let requirement = record.id.resultRequirement { results[requirement] = record }
        }
        let evidence = try workspace.records(.evidence)
        let unverified = Set(evidence.filter { workspace.objects.verify($0.text("sha256") ?? "") != .intact }.map(\.id))
        let assessors = try workspace.assessors()
        var applicability: [RequirementID: EntityRecord] = [:]
        for record in try workspace.records(.applicability) {
            if let control = record.id.applicabilityControl { applicability[control] = record }
        }
        return ReportData(engagementID: workspace.identity.engagement.rawValue, engagementName: engagement?.text("name") ?? "Engagement",
                          scope: engagement?.text("scope"), assessors: assessors, results: results, risks: try workspace.records(.risk),
                          evidence: evidence, findings: try workspace.records(.finding), applicability: applicability,
                          systems: try workspace.records(.system), impacts: try workspace.records(.impact),
                          unverifiedEvidence: unverified, library: library)
    }

    /// A requirement's recorded result; nil when none is recorded.
    public func status(of requirement: RequirementID) -> AssessmentStatus? {
        results[requirement]?.text("status").flatMap(AssessmentStatus.init)
    }

    /// The risks, evidence files or findings that link to a requirement.
    public func linked(_ kind: EntityKind, to requirement: RequirementID) -> [EntityRecord] {
        linksByRequirement[kind]?[requirement.qualified] ?? []
    }
}

/// Today's date in UTC, from the wall clock the rest of Fieldbook reads.
public enum Today {
    /// `YYYY-MM-DD`.
    public static func utc() -> String {
        String(Timestamps.rfc3339(milliseconds: WallClock.now()).prefix(10))
    }
}

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
    public let results: [RequirementID: AssessmentResult]
    public let risks: [Risk]
    public let evidence: [Evidence]
    public let findings: [Finding]
    public let applicability: [RequirementID: ControlApplicability]
    public let systems: [AISystem]
    public let impacts: [ImpactAssessment]
    /// The live evidence requests to the client (issue 30).
    public let requests: [EvidenceRequest]
    /// The live interviews, sampled tests and the tests' items (issue 30).
    public let interviews: [Interview]
    public let tests: [SampledTest]
    public let samples: [SampleItem]
    /// How old evidence may be before it is stale; nil while the engagement sets no limit.
    public let staleAfter: EvidenceAgeLimit?
    /// The highest risk level retained without an acceptance (`RiskAcceptance`); nil while the
    /// engagement sets none.
    public let riskAcceptanceLevel: RiskLevel?
    /// The live risks naming each requirement as a treating control (`RiskTreatmentRules`).
    public let treatingRisks: [RequirementID: [Risk]]
    /// How risks are named in derived reasons: short id and title (`RiskTreatmentRules.labels`).
    public let riskLabels: [EntityID: String]
    /// Evidence files whose bytes are missing or damaged in this workspace.
    public let unverifiedEvidence: Set<EntityID>
    public let library: CatalogLibrary
    /// Today (UTC, YYYY-MM-DD): corrective actions due before it and not closed are overdue.
    public let today: String
    /// The title block: engagement, scope, assessors, date, version, draft or final.
    public var document: DocumentControl
    /// When the newest change in the engagement was made: the time the content is as of,
    /// where a document needs one that does not move between two exports of the same content.
    public let latestChange: HLCTimestamp
    /// Risks, evidence and findings by the requirements they link to, built once: reports
    /// ask for them per requirement, and a scan per requirement is slow on 10k risks.
    private let risksByRequirement: [String: [Risk]]
    private let evidenceByRequirement: [String: [Evidence]]
    private let findingsByRequirement: [String: [Finding]]
    private let interviewsByRequirement: [String: [Interview]]
    private let testsByRequirement: [String: [SampledTest]]
    private let samplesByTest: [String: [SampleItem]]

    public init(engagementID: String, engagementName: String, scope: String?, assessors: [String], results: [RequirementID: AssessmentResult],
                risks: [Risk], evidence: [Evidence], findings: [Finding],
                applicability: [RequirementID: ControlApplicability] = [:], systems: [AISystem] = [], impacts: [ImpactAssessment] = [],
                riskAcceptanceLevel: RiskLevel? = nil, requests: [EvidenceRequest] = [],
                interviews: [Interview] = [], tests: [SampledTest] = [], samples: [SampleItem] = [], staleAfter: EvidenceAgeLimit? = nil, unverifiedEvidence: Set<EntityID>, library: CatalogLibrary, today: String = Today.utc(), version: String = "0.00000000",
                latestChange: HLCTimestamp = .zero) {
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
        self.riskAcceptanceLevel = riskAcceptanceLevel
        self.requests = requests
        self.interviews = interviews
        self.tests = tests
        let live = Set(tests.map(\.id.rawValue))
        self.samples = samples.filter { $0.test.map(live.contains) ?? false }
        samplesByTest = Dictionary(grouping: self.samples) { $0.test ?? "" }.mapValues { $0.sorted { ($0.row ?? 0, $0.id) < ($1.row ?? 0, $1.id) } }
        interviewsByRequirement = Self.index(interviews, by: \.requirements)
        testsByRequirement = Self.index(tests, by: \.requirements)
        self.staleAfter = staleAfter
        treatingRisks = RiskTreatmentRules.risksTreated(by: risks)
        riskLabels = RiskTreatmentRules.labels(of: risks)
        self.unverifiedEvidence = unverifiedEvidence
        self.library = library
        self.today = today
        self.latestChange = latestChange
        document = DocumentControl(engagement: engagementName, engagementID: engagementID, scope: scope, assessors: assessors,
                                   generated: today, version: version)
        risksByRequirement = Self.index(risks, by: \.requirements)
        evidenceByRequirement = Self.index(evidence, by: \.requirements)
        findingsByRequirement = Self.index(findings, by: \.requirements)
    }

    private static func index<Entity>(_ items: [Entity], by requirements: KeyPath<Entity, [String]>) -> [String: [Entity]] {
        var index: [String: [Entity]] = [:]
        for item in items {
            for requirement in item[keyPath: requirements] { index[requirement, default: []].append(item) }
        }
        return index
    }

    /// Findings whose corrective action is due before today and not closed.
    public var overdueFindings: [Finding] {
        findings.filter { $0.isOverdue(today: today) }
    }

    /// Evidence requests waiting on the client past their due date, earliest due first.
    public var overdueRequests: [EvidenceRequest] {
        requests.filter { $0.isOverdue(today: today) }.sorted(by: EvidenceRequest.dueFirst)
    }

    /// Evidence speaking for a date older than the engagement's limit allows, oldest first;
    /// empty while no limit is set.
    public var staleEvidence: [Evidence] {
        guard let staleAfter else { return [] }
        return evidence.filter { EvidenceDate.isStale($0.speaksFor, limit: staleAfter, today: today) }
            .sorted { ($0.speaksFor, $0.id) < ($1.speaksFor, $1.id) }
    }

    /// Reads everything the reports need from the workspace.
    public static func load(_ workspace: Workspace, library: CatalogLibrary) throws -> ReportData {
        let engagement = try workspace.engagement()
        var results: [RequirementID: AssessmentResult] = [:]
        for result in try workspace.all(AssessmentResult.self) {
            if let requirement = result.requirement { results[requirement] = result }
        }
        let evidence = try workspace.all(Evidence.self)
        let unverified = Set(evidence.filter { workspace.objects.verify($0.sha256 ?? "") != .intact }.map(\.id))
        let assessors = try workspace.assessors()
        var applicability: [RequirementID: ControlApplicability] = [:]
        for decision in try workspace.all(ControlApplicability.self) {
            if let control = decision.control { applicability[control] = decision }
        }
        return ReportData(engagementID: workspace.identity.engagement.rawValue, engagementName: engagement?.name ?? "Engagement",
                          scope: engagement?.scope, assessors: assessors, results: results, risks: try workspace.all(Risk.self),
                          evidence: evidence, findings: try workspace.all(Finding.self), applicability: applicability,
                          systems: try workspace.all(AISystem.self), impacts: try workspace.all(ImpactAssessment.self),
                          riskAcceptanceLevel: engagement?.riskAcceptanceLevel, requests: try workspace.all(EvidenceRequest.self),
                          interviews: try workspace.all(Interview.self), tests: try workspace.all(SampledTest.self),
                          samples: try workspace.all(SampleItem.self),
                          staleAfter: engagement?.staleAfter, unverifiedEvidence: unverified, library: library,
                          version: DocumentControl.version(of: try workspace.versionVector()),
                          latestChange: try workspace.latestChange() ?? .zero)
    }

    /// A requirement's recorded result; nil when none is recorded.
    public func status(of requirement: RequirementID) -> AssessmentStatus? {
        results[requirement]?.status
    }

    /// Whether an Annex A control is excluded by the Statement of Applicability.
    public func isExcluded(_ requirement: RequirementID) -> Bool {
        applicability[requirement]?.applicability == .excluded
    }

    /// The Annex A controls the SoA excludes while live risks name them as treating controls.
    public var treatmentContradictions: [TreatmentContradiction] {
        RiskTreatmentRules.contradictions(risks: risks, decisions: applicability)
    }

    /// The result that counts in figures, roll-ups and inference: none for an excluded control,
    /// whose result (recorded before the exclusion, say) stays visible on its own row only.
    public func inScopeStatus(of requirement: RequirementID) -> AssessmentStatus? {
        isExcluded(requirement) ? nil : status(of: requirement)
    }

    /// The risks that link to a requirement.
    public func risks(linkedTo requirement: RequirementID) -> [Risk] { risksByRequirement[requirement.qualified] ?? [] }

    /// The evidence files that link to a requirement.
    public func evidence(linkedTo requirement: RequirementID) -> [Evidence] { evidenceByRequirement[requirement.qualified] ?? [] }

    /// The interviews that speak to a requirement.
    public func interviews(linkedTo requirement: RequirementID) -> [Interview] { interviewsByRequirement[requirement.qualified] ?? [] }

    /// The sampled tests of a requirement's control.
    public func tests(linkedTo requirement: RequirementID) -> [SampledTest] { testsByRequirement[requirement.qualified] ?? [] }

    /// A test's items, by row.
    public func items(of test: SampledTest) -> [SampleItem] { samplesByTest[test.id.rawValue] ?? [] }

    /// The findings that link to a requirement.
    public func findings(linkedTo requirement: RequirementID) -> [Finding] { findingsByRequirement[requirement.qualified] ?? [] }

    /// The findings that concern a requirement: those naming it, and those naming a clause,
    /// category or function above it as a whole (a nonconformity against 9.2 concerns 9.2.1).
    public func findings(covering requirement: RequirementID) -> [Finding] {
        let catalog = library.catalog(requirement.framework)
        var found = findings(linkedTo: requirement)
        var ancestor = catalog[requirement]?.parent
        while let group = ancestor {
            found += findings(linkedTo: group).filter { finding in !found.contains { $0.id == finding.id } }
            ancestor = catalog[group]?.parent
        }
        return found
    }
}

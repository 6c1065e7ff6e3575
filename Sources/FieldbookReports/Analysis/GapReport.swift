import FieldbookCatalogs
import FieldbookModel
import FieldbookStore

/// The gap analysis of one framework: per requirement what was assessed, the findings that
/// concern it, roll-ups per function/category or clause/Annex A objective, what the crosswalk
/// suggests for what was not assessed (kept apart, marked inferred), and the engagement's KPIs.
///
/// Applicability is respected: an Annex A control recorded as excluded is shown excluded with
/// its justification and is never inferred, whatever the other framework's results say.
public struct GapReport: Encodable, Sendable {
    public let document: DocumentControl
    public let framework: String
    public let frameworkName: String
    public let engagement: String
    public let engagementID: String
    public let rows: [Row]
    public let rollups: [Rollup]
    public let kpis: KPIs

    enum CodingKeys: String, CodingKey {
        case document, framework, frameworkName = "framework_name", engagement, engagementID = "engagement_id", rows, rollups, kpis
    }

    /// One assessable requirement: its result, its applicability (Annex A controls), how many
    /// evidence files, open findings and risks link to it, and the findings that concern it.
    public struct Row: Encodable, Sendable {
        public let requirement: String
        public let ref: String
        public let title: String
        public let parent: String?
        public let status: String?
        public let maturity: Int64?
        public let note: String?
        /// Annex A controls: included or excluded as recorded (nil when undecided, or not a control).
        public let applicability: String?
        /// Why the control is excluded or included, as recorded.
        public let justification: String?
        /// An exclusion live risks contradict by naming the control as a treating control (`RiskTreatmentRules`).
        public let contradiction: String?
        public let evidence: Int
        /// Findings not closed that concern the requirement, directly or through a clause above it.
        public let openFindings: Int
        public let risks: Int
        public let conflicted: Bool
        /// Every finding that concerns the requirement, open ones first.
        public let findings: [FindingReference]
        /// Only for requirements neither assessed nor excluded: what the other framework's results suggest.
        public let inferred: Inferred?
        /// Interviews speaking to the requirement (issue 30).
        public let interviews: Int
        /// The sampled tests of its control, with their conclusions (issue 30).
        public let tests: [TestReference]

        enum CodingKeys: String, CodingKey {
            case requirement, ref, title, parent, status, maturity, note, applicability, justification, contradiction, evidence
            case openFindings = "open_findings", risks, conflicted, findings, inferred, interviews, tests
        }

        /// Excluded from the management system's scope by a recorded applicability decision.
        public var excluded: Bool { applicability == Applicability.excluded.rawValue }
    }

    /// A finding as a gap row or roll-up shows it.
    public struct FindingReference: Encodable, Sendable {
        public let id: String
        public let title: String
        public let severity: String?
        public let status: String
        public let owner: String?
        public let due: String?
        public let overdue: Bool
        public let source: String?
        /// The clause, category or function the finding names, when it concerns this
        /// requirement through it rather than naming it.
        public let via: String?

        /// Not closed.
        public var isOpen: Bool { status != FindingStatus.closed.rawValue }
    }

    /// A sampled test as a gap row shows it: what it tested and where it stands.
    public struct TestReference: Encodable, Sendable {
        public let id: String
        public let title: String
        /// not-started, in-progress, passed or exceptions (`TestConclusion`).
        public let conclusion: String
        public let summary: String

        init(_ test: SampledTest, data: ReportData) {
            let conclusion = data.items(of: test).conclusion
            id = test.id.rawValue
            title = test.title ?? "(untitled)"
            self.conclusion = conclusion.word
            summary = conclusion.sentence
        }
    }

    /// What the crosswalk suggests for a requirement nobody assessed.
    public struct Inferred: Encodable, Sendable {
        public let signal: String
        public let summary: String
        public let related: [Related]
        /// Evidence linked to the related requirements: available for this one too.
        public let availableEvidence: [AvailableEvidence]
        /// Chains through imported mapping sets (up to 3 rows), each graded by its weakest row;
        /// nil when there are none.
        public let paths: [MappingInference.Path]?

        enum CodingKeys: String, CodingKey { case signal, summary, related, availableEvidence = "available_evidence", paths }
    }

    /// A related requirement of the other framework and its result.
    public struct Related: Encodable, Sendable {
        public let requirement: String
        public let relationship: String
        public let status: String?
        public let publishedRef: String

        enum CodingKeys: String, CodingKey { case requirement, relationship, status, publishedRef = "published_ref" }
    }

    /// An evidence file linked to a related requirement.
    public struct AvailableEvidence: Encodable, Sendable {
        public let evidence: String
        public let filename: String?
        /// The related requirement the file is linked to.
        public let via: String
    }

    /// The results of a group's assessable requirements (a function, category, clause or
    /// Annex A objective), counted.
    public struct Rollup: Encodable, Sendable {
        public let id: String
        public let title: String
        public let level: String
        /// How deep the group sits (0 for a function, clause or top-level objective).
        public let depth: Int
        public let requirements: Int
        public let assessed: Int
        public let compliant: Int
        public let partiallyCompliant: Int
        public let nonCompliant: Int
        public let notApplicable: Int
        /// Annex A controls excluded by an applicability decision.
        public let excluded: Int
        /// Findings raised against the group as a whole (a nonconformity against 9.2).
        public let findings: [FindingReference]

        enum CodingKeys: String, CodingKey {
            case id, title, level, depth, requirements, assessed, compliant
            case partiallyCompliant = "partially_compliant", nonCompliant = "non_compliant", notApplicable = "not_applicable", excluded, findings
        }
    }

    /// The report of one framework; the KPIs cover both.
    public init(framework: FrameworkID, data: ReportData) {
        let catalog = data.library.catalog(framework)
        document = data.document
        self.framework = framework.rawValue
        frameworkName = catalog.name
        engagement = data.engagementName
        engagementID = data.engagementID
        let contradictions = Dictionary(uniqueKeysWithValues: data.treatmentContradictions.map { ($0.control, $0.problem) })
        rows = catalog.assessable.map { requirement in
            let result = data.results[requirement.id]
            let status = data.status(of: requirement.id)
            let decision = data.applicability[requirement.id]
            let findings = data.findings(covering: requirement.id).map { Self.reference($0, for: requirement.id, data: data) }
                .sorted { ($0.isOpen ? 0 : 1, $0.id) < ($1.isOpen ? 0 : 1, $1.id) }
            var inferred: Inferred?
            if status == nil || status == .notAssessed, decision?.applicability != .excluded {
                // An excluded control is out of the management system: its result, if any, signals nothing.
                let inference = CrosswalkInference(requirement: requirement.id, own: status, crosswalk: data.library.crosswalk,
                                                   status: data.inScopeStatus)
                let available = inference.related.flatMap { related in
                    data.evidence(linkedTo: related.requirement).map {
                        AvailableEvidence(evidence: $0.id.rawValue, filename: $0.filename, via: related.requirement.qualified)
                    }
                }
                let paths = MappingInference(requirement: requirement.id, library: data.library, status: data.inScopeStatus).throughLibraries
                // Mapping sets speak where the bundled crosswalk has nothing to say.
                let (signal, summary) = inference.signal == .noSignal && !paths.isEmpty
                    ? MappingInference.signal(of: paths) : (inference.signal, inference.summary)
                inferred = Inferred(signal: signal.rawValue, summary: summary,
                                    related: inference.related.map {
                                        Related(requirement: $0.requirement.qualified, relationship: $0.relationship.rawValue,
                                                status: $0.status?.rawValue, publishedRef: $0.row.publishedRef)
                                    },
                                    availableEvidence: available, paths: paths.isEmpty ? nil : paths)
            }
            return Row(requirement: requirement.id.qualified, ref: requirement.ref, title: requirement.headline,
                       parent: requirement.parent?.qualified, status: status?.rawValue, maturity: result?.maturity.map(Int64.init),
                       note: result?.note, applicability: decision?.applicability?.rawValue, justification: decision?.justification,
                       contradiction: contradictions[requirement.id], evidence: data.evidence(linkedTo: requirement.id).count, openFindings: findings.filter(\.isOpen).count,
                       risks: data.risks(linkedTo: requirement.id).count,
                       conflicted: !(result?.conflictedFields.isEmpty ?? true) || !(decision?.conflictedFields.isEmpty ?? true),
                       findings: findings, inferred: inferred, interviews: data.interviews(linkedTo: requirement.id).count,
                       tests: data.tests(linkedTo: requirement.id).map { TestReference($0, data: data) })
        }
        rollups = catalog.requirements.filter { !$0.assessable }.map { group in
            let members = catalog.assessableParts(of: group.id)
            // An excluded control counts under `excluded` only, not as assessed or as a gap.
            let statuses = members.compactMap { data.inScopeStatus(of: $0.id) }
            var depth = 0
            var parent = group.parent
            while let current = parent { depth += 1; parent = catalog[current]?.parent }
            return Rollup(id: group.id.qualified, title: group.headline, level: group.level.rawValue, depth: depth, requirements: members.count,
                          assessed: statuses.filter(\.isAssessed).count,
                          compliant: statuses.filter { $0 == .compliant }.count,
                          partiallyCompliant: statuses.filter { $0 == .partiallyCompliant }.count,
                          nonCompliant: statuses.filter { $0 == .nonCompliant }.count,
                          notApplicable: statuses.filter { $0 == .notApplicable }.count,
                          excluded: members.filter { data.isExcluded($0.id) }.count,
                          findings: data.findings(linkedTo: group.id).map { Self.reference($0, for: group.id, data: data) })
        }.filter { $0.requirements > 0 }
        kpis = KPIs(data: data)
    }

    static func reference(_ finding: Finding, for requirement: RequirementID, data: ReportData) -> FindingReference {
        let named = finding.requirements.contains(requirement.qualified)
        let via = named ? nil : finding.requirements.compactMap(RequirementID.init(qualified:)).filter {
            data.library.catalog(requirement.framework).isDescendant(requirement, of: $0)
        }.map(\.qualified).sorted().first
        return FindingReference(id: finding.id.rawValue, title: finding.title ?? "(untitled)", severity: finding.severity?.rawValue,
                                status: (finding.status ?? .open).rawValue, owner: finding.owner, due: finding.due,
                                overdue: finding.isOverdue(today: data.today), source: finding.source?.rawValue, via: via)
    }
}

import FieldbookCatalogs
import FieldbookModel
import FieldbookStore

/// The gap analysis of one framework: per requirement what was assessed, roll-ups per
/// function/category or clause/Annex A objective, what the crosswalk suggests for what was
/// not assessed (kept apart, marked inferred), and the engagement's KPIs.
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

    /// One assessable requirement: its result and how many evidence files, open findings and
    /// risks link to it.
    public struct Row: Encodable, Sendable {
        public let requirement: String
        public let ref: String
        public let title: String
        public let parent: String?
        public let status: String?
        public let maturity: Int64?
        public let note: String?
        public let evidence: Int
        public let openFindings: Int
        public let risks: Int
        public let conflicted: Bool
        /// Only for requirements not assessed: what the other framework's results suggest.
        public let inferred: Inferred?

        enum CodingKeys: String, CodingKey {
            case requirement, ref, title, parent, status, maturity, note, evidence, openFindings = "open_findings", risks, conflicted, inferred
        }
    }

    /// What the crosswalk suggests for a requirement nobody assessed.
    public struct Inferred: Encodable, Sendable {
        public let signal: String
        public let summary: String
        public let related: [Related]
        /// Evidence linked to the related requirements: available for this one too.
        public let availableEvidence: [AvailableEvidence]

        enum CodingKeys: String, CodingKey { case signal, summary, related, availableEvidence = "available_evidence" }
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

        enum CodingKeys: String, CodingKey {
            case id, title, level, depth, requirements, assessed, compliant
            case partiallyCompliant = "partially_compliant", nonCompliant = "non_compliant", notApplicable = "not_applicable"
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
        rows = catalog.assessable.map { requirement in
            let result = data.results[requirement.id]
            let status = data.status(of: requirement.id)
            var inferred: Inferred?
            if status == nil || status == .notAssessed {
                let inference = CrosswalkInference(requirement: requirement.id, own: status, crosswalk: data.library.crosswalk,
                                                   status: data.status)
                let available = inference.related.flatMap { related in
                    data.evidence(linkedTo: related.requirement).map {
                        AvailableEvidence(evidence: $0.id.rawValue, filename: $0.filename, via: related.requirement.qualified)
                    }
                }
                inferred = Inferred(signal: inference.signal.rawValue, summary: inference.summary,
                                    related: inference.related.map {
                                        Related(requirement: $0.requirement.qualified, relationship: $0.relationship.rawValue,
                                                status: $0.status?.rawValue, publishedRef: $0.row.publishedRef)
                                    },
                                    availableEvidence: available)
            }
            return Row(requirement: requirement.id.qualified, ref: requirement.ref, title: requirement.headline,
                       parent: requirement.parent?.qualified, status: status?.rawValue, maturity: result?.maturity.map(Int64.init),
                       note: result?.note, evidence: data.evidence(linkedTo: requirement.id).count,
                       openFindings: data.findings(linkedTo: requirement.id).filter { $0.status != .closed }.count,
                       risks: data.risks(linkedTo: requirement.id).count,
                       conflicted: !(result?.conflictedFields.isEmpty ?? true), inferred: inferred)
        }
        rollups = catalog.requirements.filter { !$0.assessable }.map { group in
            let members = catalog.descendants(of: group.id).filter(\.assessable)
            let statuses = members.compactMap { data.status(of: $0.id) }
            var depth = 0
            var parent = group.parent
            while let current = parent { depth += 1; parent = catalog[current]?.parent }
            return Rollup(id: group.id.qualified, title: group.headline, level: group.level.rawValue, depth: depth, requirements: members.count,
                          assessed: statuses.filter(\.isAssessed).count,
                          compliant: statuses.filter { $0 == .compliant }.count,
                          partiallyCompliant: statuses.filter { $0 == .partiallyCompliant }.count,
                          nonCompliant: statuses.filter { $0 == .nonCompliant }.count,
                          notApplicable: statuses.filter { $0 == .notApplicable }.count)
        }.filter { $0.requirements > 0 }
        kpis = KPIs(data: data)
    }
}

import FieldbookCatalogs
import FieldbookModel
import FieldbookStore

/// The corrective-action register (ISO/IEC 42001 10.2): every finding with its grade (major or
/// minor nonconformity, observation, opportunity for improvement), where its corrective action
/// stands, who owns it, when it is due and whether it is overdue, what raised it, the
/// requirements and AI systems it concerns, and for a nonconformity its correction, root cause
/// and the verification of its effectiveness, or the reason it was closed without one. Open
/// findings come first, major before minor before observations, earliest due first.
///
/// A finding may name a clause or a function as a whole (an auditor's nonconformity against
/// 9.2): such a target is listed as it was raised and marked `whole`, with the assessable
/// requirements below it, which the gap report shows it on.
public struct FindingsRegister: Encodable, Sendable {
    public let document: DocumentControl
    public let findings: [Entry]
    public let summary: Summary

    /// One nonconformity and its corrective action.
    public struct Entry: Encodable, Sendable {
        public let id: String
        public let title: String
        public let description: String?
        /// The grade: major, minor, observation, opportunity-for-improvement, or nil when not yet rated.
        public let severity: String?
        /// open, in-progress or closed (open when not recorded).
        public let status: String
        public let correctiveAction: String?
        public let owner: String?
        public let due: String?
        public let overdue: Bool
        public let source: String?
        public let correction: String?
        public let rootCause: String?
        public let verification: Verification?
        /// Why it was closed without an effective verification (the override).
        public let closedWithoutVerification: String?
        public let requirements: [Target]
        /// The AI systems it concerns, by name (by id when a system has no name or is gone).
        public let systems: [String]
        public let conflicted: Bool

        enum CodingKeys: String, CodingKey {
            case id, title, description, severity, status, correctiveAction = "corrective_action", owner, due, overdue, source
            case correction, rootCause = "root_cause", verification, closedWithoutVerification = "closed_without_verification"
            case requirements, systems, conflicted
        }
    }

    /// Whether a nonconformity's correction proved effective: the result, who verified it and
    /// when, and the evidence files it rests on (by file name).
    public struct Verification: Encodable, Sendable {
        public let result: String
        public let by: String?
        public let on: String?
        public let evidence: [String]
    }

    /// A requirement a finding names.
    public struct Target: Encodable, Sendable {
        public let requirement: String
        public let ref: String
        public let title: String?
        /// The finding names a clause, category or function as a whole, not one assessable requirement.
        public let whole: Bool
        /// For a whole clause or function: the assessable requirements below it.
        public let covers: [String]
    }

    /// Counts for the register's key figures.
    public struct Summary: Encodable, Sendable {
        public let total: Int
        public let open: Int
        public let inProgress: Int
        public let closed: Int
        public let major: Int
        public let minor: Int
        /// Observations and opportunities for improvement, when the engagement records any.
        public let observations: Int?
        public let opportunities: Int?
        /// Not closed and due before the generation date.
        public let overdue: Int

        enum CodingKeys: String, CodingKey {
            case total, open, inProgress = "in_progress", closed, major, minor, observations, opportunities = "opportunities_for_improvement", overdue
        }
    }

    public init(data: ReportData) {
        document = data.document
        let systemNames = Dictionary(data.systems.map { ($0.id.rawValue, $0.name ?? $0.id.rawValue) }, uniquingKeysWith: { first, _ in first })
        let fileNames = Dictionary(data.evidence.map { ($0.id.rawValue, $0.filename ?? $0.id.rawValue) }, uniquingKeysWith: { first, _ in first })
        findings = data.findings.map { finding in
            Entry(id: finding.id.rawValue, title: finding.title ?? "(untitled)", description: finding.description,
                  severity: finding.severity?.rawValue, status: (finding.status ?? .open).rawValue,
                  correctiveAction: finding.correctiveAction, owner: finding.owner, due: finding.due,
                  overdue: finding.isOverdue(today: data.today), source: finding.source?.rawValue,
                  correction: finding.correction, rootCause: finding.rootCause,
                  verification: finding.verification.map {
                      Verification(result: $0.rawValue, by: finding.verifiedBy, on: finding.verifiedOn,
                                   evidence: finding.verificationEvidence.map { fileNames[$0] ?? $0 }.sorted())
                  },
                  closedWithoutVerification: finding.closedWithoutVerification,
                  requirements: finding.requirements.sorted().map { Self.target($0, library: data.library) },
                  systems: finding.systems.map { systemNames[$0] ?? $0 }.sorted(),
                  conflicted: !finding.conflictedFields.isEmpty)
        }.sorted(by: Self.precedes)
        let findings = self.findings
        func graded(_ grade: FindingSeverity) -> Int { findings.filter { $0.severity == grade.rawValue }.count }
        summary = Summary(total: findings.count, open: findings.filter { $0.status == FindingStatus.open.rawValue }.count,
                          inProgress: findings.filter { $0.status == FindingStatus.inProgress.rawValue }.count,
                          closed: findings.filter { $0.status == FindingStatus.closed.rawValue }.count,
                          major: graded(.major), minor: graded(.minor),
                          observations: graded(.observation).nonEmptyCount, opportunities: graded(.opportunityForImprovement).nonEmptyCount,
                          overdue: findings.filter(\.overdue).count)
    }

    static func target(_ qualified: String, library: CatalogLibrary) -> Target {
        guard let id = RequirementID(qualified: qualified), let requirement = library.catalog(id.framework)[id] else {
            return Target(requirement: qualified, ref: qualified, title: nil, whole: false, covers: [])
        }
        let covers = requirement.assessable ? [] : library.catalog(id.framework).assessableParts(of: id).map(\.id.qualified)
        return Target(requirement: qualified, ref: requirement.ref, title: requirement.headline, whole: !requirement.assessable, covers: covers)
    }

    /// Open before in progress before closed; major before minor before unrated before observations
    /// before opportunities for improvement; earliest due first (none last); then by id.
    static func precedes(_ a: Entry, _ b: Entry) -> Bool {
        func statusRank(_ entry: Entry) -> Int { [FindingStatus.open.rawValue: 0, FindingStatus.inProgress.rawValue: 1][entry.status] ?? 2 }
        func severityRank(_ entry: Entry) -> Int { FindingSeverity.rank(entry.severity.flatMap(FindingSeverity.init(rawValue:))) }
        let left = (statusRank(a), severityRank(a), a.due ?? "9999-99-99", a.id)
        let right = (statusRank(b), severityRank(b), b.due ?? "9999-99-99", b.id)
        return left < right
    }
}

extension Int {
    /// The count, or nil when it is zero: a figure a report states only once there is something to count.
    var nonEmptyCount: Int? { self == 0 ? nil : self }
}

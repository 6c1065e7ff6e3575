import FieldbookCatalogs
import FieldbookModel

/// What assessed requirements of other frameworks say about one requirement, through every
/// mapping set and chains of them (ISO/IEC 42001 A.5.2 -> SCF CHG-03 -> NIST CSF 2.0 ID.RA-07).
///
/// Paths: at most `maximumHops` rows long, each row entering a framework the path has not
/// visited (so the bundled crosswalk's AI RMF -> ISO -> AI RMF round trips, which relate
/// everything to everything, are not paths), ending at a requirement with an in-scope result.
/// A path is graded by its weakest row: full when every row's far end covers its near end
/// (equal, superset), partial otherwise. Suggestions only: a requirement's own result always
/// wins and is kept apart.
public struct MappingInference: Sendable {
    public static let maximumHops = 3

    /// One row of a path, read from the assessed end towards the requirement asked about.
    public struct Hop: Sendable, Encodable {
        public let from: String
        public let to: String
        /// How `from` relates to `to`.
        public let relationship: String
        public let set: String
    }

    /// A chain from an assessed requirement to the one asked about.
    public struct Path: Sendable, Encodable {
        /// The assessed requirement the path starts from.
        public let source: String
        public let status: String
        public let coverage: String
        public let hops: [Hop]
    }

    /// A path is as strong as its weakest row.
    static func coverage(_ hops: [(link: MappingLink, near: RequirementID)]) -> MappingCoverage {
        hops.map(\.link.relationship.coverage).min() ?? .none
    }

    public let requirement: RequirementID
    /// Shortest paths first, then fuller coverage, then by source.
    public let paths: [Path]

    /// `status` gives the result that counts for any requirement (nil when none or out of scope).
    public init(requirement: RequirementID, library: CatalogLibrary, status: (RequirementID) -> AssessmentStatus?) {
        self.requirement = requirement
        struct Frontier { let node: RequirementID; let hops: [(link: MappingLink, near: RequirementID)]; let frameworks: Set<FrameworkID> }
        var frontier = [Frontier(node: requirement, hops: [], frameworks: [requirement.framework])]
        var reached: Set<RequirementID> = [requirement]
        var found: [(path: Path, coverage: MappingCoverage, length: Int)] = []
        for _ in 0..<Self.maximumHops {
            // The best path of this length to each newly reached requirement: fuller coverage first.
            var best: [RequirementID: Frontier] = [:]
            var order: [RequirementID] = []
            for entry in frontier {
                for link in library.links(for: entry.node)
                where !entry.frameworks.contains(link.requirement.framework) && !reached.contains(link.requirement) {
                    let candidate = Frontier(node: link.requirement, hops: entry.hops + [(link, entry.node)],
                                             frameworks: entry.frameworks.union([link.requirement.framework]))
                    if let current = best[link.requirement] {
                        if Self.coverage(candidate.hops) > Self.coverage(current.hops) { best[link.requirement] = candidate }
                    } else {
                        best[link.requirement] = candidate
                        order.append(link.requirement)
                    }
                }
            }
            frontier = order.compactMap { best[$0] }
            for entry in frontier {
                reached.insert(entry.node)
                guard let result = status(entry.node), result.isAssessed, result != .notApplicable else { continue }
                let readable = entry.hops.reversed().map {
                    Hop(from: $0.link.requirement.qualified, to: $0.near.qualified, relationship: $0.link.relationship.rawValue, set: $0.link.set)
                }
                let coverage = Self.coverage(entry.hops)
                found.append((Path(source: entry.node.qualified, status: result.rawValue, coverage: String(describing: coverage), hops: readable),
                              coverage, entry.hops.count))
            }
        }
        paths = found.sorted { ($0.length, -$0.coverage.rawValue, $0.path.source) < ($1.length, -$1.coverage.rawValue, $1.path.source) }.map(\.path)
    }

    /// The paths through an imported library's mapping set (a bundled crosswalk row alone is
    /// what `CrosswalkInference` already reads).
    public var throughLibraries: [Path] {
        paths.filter { $0.hops.contains { !$0.set.hasPrefix(MappingSet.bundledPrefix) } }
    }

    /// What a set of paths suggests, in the crosswalk inference's terms, with a sentence naming
    /// each path's source, result and grade.
    public static func signal(of paths: [Path]) -> (signal: CrosswalkInference.Signal, summary: String) {
        let judged = paths.filter { $0.status != AssessmentStatus.notApplicable.rawValue }
        let described = judged.map { "\($0.source) \($0.status), \($0.coverage) coverage over \(counted($0.hops.count, "mapping row"))" }
            .joined(separator: "; ")
        if judged.isEmpty { return (.noSignal, "no signal through mapping sets") }
        if judged.contains(where: { $0.status == AssessmentStatus.nonCompliant.rawValue }) {
            return (.gapLikely, "gap likely through mapping sets: " + described)
        }
        if judged.allSatisfy({ $0.status == AssessmentStatus.compliant.rawValue && $0.coverage == "full" }) {
            return (.likelyCovered, "likely covered through mapping sets: " + described)
        }
        return (.partial, "partial signal through mapping sets: " + described)
    }
}

/// How one requirement relates to another in a mapping set: NIST IR 8477's set relationships
/// (as CISO Assistant's mapping libraries write them), plus `related` for the bundled AI RMF <->
/// ISO/IEC 42001 crosswalk, which NIST publishes without a set relationship.
public enum MappingRelationship: String, Sendable, Hashable, Codable, CaseIterable {
    case equal, subset, superset, intersect
    case notRelated = "not_related"
    case related

    /// The same relationship read from the other end.
    public var inverse: MappingRelationship {
        switch self {
        case .subset: .superset
        case .superset: .subset
        default: self
        }
    }

    /// What a compliant result on the relating side says about the other: `equal` and
    /// `superset` cover it whole (CISO Assistant's reading), `subset`, `intersect` and `related`
    /// cover part of it, `not_related` nothing.
    public var coverage: MappingCoverage {
        switch self {
        case .equal, .superset: .full
        case .subset, .intersect, .related: .partial
        case .notRelated: .none
        }
    }
}

/// How much of a requirement an assessed, related requirement speaks for.
public enum MappingCoverage: Int, Sendable, Hashable, Codable, Comparable {
    case none = 0, partial, full

    public static func < (lhs: MappingCoverage, rhs: MappingCoverage) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One row of a mapping set: `source` relates to `target` as `relationship` says
/// ("source is a subset of target").
public struct MappingRow: Sendable, Hashable {
    public let source: RequirementID
    public let target: RequirementID
    public let relationship: MappingRelationship
    public let rationale: String?
    /// CISO Assistant's strength of relationship (0-10), when given.
    public let strength: Int?

    public init(source: RequirementID, target: RequirementID, relationship: MappingRelationship, rationale: String? = nil, strength: Int? = nil) {
        self.source = source
        self.target = target
        self.relationship = relationship
        self.rationale = rationale
        self.strength = strength
    }
}

/// A row seen from one end: the requirement at the other end, how IT relates to the one asked
/// about, the row and the set it comes from.
public struct MappingLink: Sendable, Hashable {
    public let requirement: RequirementID
    /// How `requirement` relates to the requirement the link was asked for.
    public let relationship: MappingRelationship
    public let row: MappingRow
    public let set: String
}

/// A set of mapping rows between two frameworks: the bundled crosswalk, or one a mapping
/// library brought. Answerable from either end.
public struct MappingSet: Sendable {
    /// The set's URN (`urn:...`), or `bundled:` and the crosswalk's id for the bundled one.
    public let id: String
    public let name: String
    public let source: FrameworkID
    public let target: FrameworkID
    public let rows: [MappingRow]
    /// Where the set comes from: the library's URN and version, or the crosswalk's document.
    public let origin: String
    private let bySource: [RequirementID: [Int]]
    private let byTarget: [RequirementID: [Int]]

    public init(id: String, name: String, source: FrameworkID, target: FrameworkID, rows: [MappingRow], origin: String) {
        self.id = id
        self.name = name
        self.source = source
        self.target = target
        self.rows = rows
        self.origin = origin
        var bySource: [RequirementID: [Int]] = [:], byTarget: [RequirementID: [Int]] = [:]
        for (index, row) in rows.enumerated() {
            bySource[row.source, default: []].append(index)
            byTarget[row.target, default: []].append(index)
        }
        self.bySource = bySource
        self.byTarget = byTarget
    }

    /// Every row naming `requirement`, seen from it; `not_related` rows are left out (they say
    /// there is nothing to carry).
    public func links(for requirement: RequirementID) -> [MappingLink] {
        let forward = (bySource[requirement] ?? []).map { rows[$0] }.map {
            // The row says "requirement R target"; the target relates to requirement as the inverse.
            MappingLink(requirement: $0.target, relationship: $0.relationship.inverse, row: $0, set: id)
        }
        let backward = (byTarget[requirement] ?? []).map { rows[$0] }.map {
            MappingLink(requirement: $0.source, relationship: $0.relationship, row: $0, set: id)
        }
        return (forward + backward).filter { $0.relationship != .notRelated }
    }

    /// The id prefix of the bundled crosswalk's set.
    public static let bundledPrefix = "bundled:"

    /// The bundled crosswalk as a mapping set. Its rows carry no set relationship (`related`);
    /// a row's AI RMF subcategory is the source and its ISO/IEC 42001 item the target.
    public init(crosswalk: Crosswalk) {
        self.init(id: Self.bundledPrefix + crosswalk.id, name: crosswalk.document, source: .nistAIRMF, target: .iso42001,
                  rows: crosswalk.rows.map {
                      MappingRow(source: $0.source, target: $0.target, relationship: MappingRelationship(rawValue: $0.inverseRelationship.rawValue) ?? .related,
                                 rationale: $0.note)
                  },
                  origin: crosswalk.document)
    }
}

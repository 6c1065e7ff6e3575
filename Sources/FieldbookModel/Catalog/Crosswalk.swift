/// How two requirements of different frameworks relate. The bundled NIST-hosted crosswalk
/// only says `related`; the typed kinds are kept so a typed mapping set can come later
/// (then equal/superset count as full coverage and subset/intersect as partial).
public enum Relationship: String, Sendable, Codable, CaseIterable {
    case related, equal, subset, superset, intersect

    /// The relationship read from the other end of the row.
    public var inverse: Relationship {
        switch self {
        case .subset: .superset
        case .superset: .subset
        case .related, .equal, .intersect: self
        }
    }
}

/// One published crosswalk row: an AI RMF subcategory and a related ISO/IEC 42001 item.
public struct CrosswalkRow: Sendable, Hashable {
    /// The AI RMF end of the row.
    public let source: RequirementID
    /// The ISO/IEC 42001 end of the row.
    public let target: RequirementID
    /// How `target` relates to `source`; `inverseRelationship` reads it from `target`.
    public let relationship: Relationship
    public let inverseRelationship: Relationship
    /// The reference and title exactly as the published crosswalk prints them.
    public let publishedRef: String
    public let publishedTitle: String
    /// Where the row comes from (document id).
    public let origin: String
    /// The curator's note on an anomaly of the published document, if any.
    public let note: String?

    public init(source: RequirementID, target: RequirementID, relationship: Relationship,
                inverseRelationship: Relationship, publishedRef: String, publishedTitle: String,
                origin: String, note: String?) {
        self.source = source
        self.target = target
        self.relationship = relationship
        self.inverseRelationship = inverseRelationship
        self.publishedRef = publishedRef
        self.publishedTitle = publishedTitle
        self.origin = origin
        self.note = note
    }
}

/// A row seen from one end: the requirement on the other side and how it relates to ours.
public struct CrosswalkLink: Sendable, Hashable {
    public let requirement: RequirementID
    public let relationship: Relationship
    /// The row itself, for its published reference, origin and note.
    public let row: CrosswalkRow
}

/// The crosswalk between the two frameworks, answerable from either end.
public struct Crosswalk: Sendable {
    public let id: String
    public let version: String
    public let document: String
    public let publisher: String
    public let url: String
    /// The curator's notes on how the published rows were normalised into ids.
    public let normalization: [String]
    public let rows: [CrosswalkRow]

    private let bySource: [RequirementID: [Int]]
    private let byTarget: [RequirementID: [Int]]

    public init(id: String, version: String, document: String, publisher: String, url: String,
                normalization: [String], rows: [CrosswalkRow]) {
        self.id = id
        self.version = version
        self.document = document
        self.publisher = publisher
        self.url = url
        self.normalization = normalization
        self.rows = rows
        var bySource: [RequirementID: [Int]] = [:]
        var byTarget: [RequirementID: [Int]] = [:]
        for (index, row) in rows.enumerated() {
            bySource[row.source, default: []].append(index)
            byTarget[row.target, default: []].append(index)
        }
        self.bySource = bySource
        self.byTarget = byTarget
    }

    /// The requirements of the other framework related to `id`, in row order.
    public func links(for id: RequirementID) -> [CrosswalkLink] {
        let forward = (bySource[id] ?? []).map { rows[$0] }.map {
            CrosswalkLink(requirement: $0.target, relationship: $0.relationship, row: $0)
        }
        let backward = (byTarget[id] ?? []).map { rows[$0] }.map {
            CrosswalkLink(requirement: $0.source, relationship: $0.inverseRelationship, row: $0)
        }
        return forward + backward
    }

    /// Every requirement that appears in at least one row, from either framework.
    public var mappedRequirements: Set<RequirementID> {
        Set(bySource.keys).union(byTarget.keys)
    }
}

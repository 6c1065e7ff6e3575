import FieldbookModel

/// The engagement itself: its name, scope, risk acceptance level and evidence age limit (one per workspace).
public struct EngagementRecord: TypedEntity {
    /// The field enumeration this entity is read through.
    public typealias Field = EngagementField
    public let record: EntityRecord
    public init(unchecked record: EntityRecord) { self.record = record }

    public var name: String? { text(.name) }
    public var scope: String? { text(.scope) }
    public var riskAcceptanceLevel: RiskLevel? { choice(.riskAcceptanceLevel) }
    /// How old evidence may be before it counts as stale; nil while none is set.
    public var staleAfter: EvidenceAgeLimit? { text(.staleAfter).flatMap(EvidenceAgeLimit.init) }
}

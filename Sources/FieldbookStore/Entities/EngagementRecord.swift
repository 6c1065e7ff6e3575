import FieldbookModel

/// The engagement itself: its name, scope and risk acceptance level (one per workspace).
public struct EngagementRecord: TypedEntity {
    /// The field enumeration this entity is read through.
    public typealias Field = EngagementField
    public let record: EntityRecord
    public init(unchecked record: EntityRecord) { self.record = record }

    public var name: String? { text(.name) }
    public var scope: String? { text(.scope) }
    public var riskAcceptanceLevel: RiskLevel? { choice(.riskAcceptanceLevel) }
}

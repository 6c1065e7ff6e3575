import FieldbookModel

/// An AI system the management system covers (ISO/IEC 42001 4.3).
public struct AISystem: TypedEntity {
    /// The field enumeration this entity is read through.
    public typealias Field = SystemField
    public let record: EntityRecord
    public init(unchecked record: EntityRecord) { self.record = record }

    public var name: String? { text(.name) }
    public var purpose: String? { text(.purpose) }
    public var owner: String? { text(.owner) }
    public var stage: SystemStage? { choice(.stage) }
    public var riskTier: RiskTier? { choice(.riskTier) }
    public var inScope: Bool? { boolean(.inScope) }
}

import FieldbookModel

/// An Annex A control's place in the Statement of Applicability (ISO/IEC 42001 6.1.3).
public struct ControlApplicability: TypedEntity {
    /// The field enumeration this entity is read through.
    public typealias Field = ApplicabilityField
    public let record: EntityRecord
    public init(unchecked record: EntityRecord) { self.record = record }

    public var control: RequirementID? { record.id.applicabilityControl }
    public var applicability: Applicability? { choice(.applicability) }
    public var justification: String? { text(.justification) }
    public var reason: ApplicabilityReason? { choice(.reason) }
}

import FieldbookModel

/// How a requirement is met: one per requirement, its id derived from the requirement's.
public struct AssessmentResult: TypedEntity {
    /// The field enumeration this entity is read through.
    public typealias Field = ResultField
    public let record: EntityRecord
    public init(unchecked record: EntityRecord) { self.record = record }

    /// The requirement assessed (nil only for a result id not derived from one).
    public var requirement: RequirementID? { record.id.resultRequirement }
    public var status: AssessmentStatus? { choice(.status) }
    public var maturity: Int? { integer(.maturity) }
    public var note: String? { text(.note) }
}

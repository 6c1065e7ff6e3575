import FieldbookModel

/// An AI system impact assessment (ISO/IEC 42001 6.1.4, 8.4, Annex A.5).
public struct ImpactAssessment: TypedEntity {
    /// The field enumeration this entity is read through.
    public typealias Field = ImpactField
    public let record: EntityRecord
    public init(unchecked record: EntityRecord) { self.record = record }

    public var summary: String? { text(.summary) }
    public var affected: String? { text(.affected) }
    public var societal: String? { text(.societal) }
    public var severity: Int? { integer(.severity) }
    public var likelihood: Int? { integer(.likelihood) }
    /// When the assessment was made, `YYYY-MM-DD`.
    public var date: String? { text(.date) }
    public var systems: [String] { links(.systems) }
    public var evidence: [String] { links(.evidence) }
}

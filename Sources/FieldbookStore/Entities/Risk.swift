import FieldbookModel

/// An AI risk in the engagement's register (ISO/IEC 42001 6.1.2, AI RMF MAP/MEASURE).
public struct Risk: TypedEntity {
    /// The field enumeration this entity is read through.
    public typealias Field = RiskField
    public let record: EntityRecord
    public init(unchecked record: EntityRecord) { self.record = record }

    public var title: String? { text(.title) }
    public var description: String? { text(.description) }
    public var likelihood: Int? { integer(.likelihood) }
    public var impact: Int? { integer(.impact) }
    public var owner: String? { text(.owner) }
    public var treatment: RiskTreatment? { choice(.treatment) }
    public var status: RiskStatus? { choice(.status) }
    public var requirements: [String] { links(.requirements) }
    public var systems: [String] { links(.systems) }

    /// Score and level (`RiskRating`), once likelihood and impact are both known.
    public var rating: RiskRating? { RiskRating(likelihood: likelihood, impact: impact) }
    public var score: Int? { rating?.score }
    public var level: RiskLevel? { rating?.level }
}

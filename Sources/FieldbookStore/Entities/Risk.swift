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
    /// The controls treating the risk (any framework's requirements), qualified ids, sorted.
    public var treatedBy: [String] { links(.treatedBy) }
    public var residualLikelihood: Int? { integer(.residualLikelihood) }
    public var residualImpact: Int? { integer(.residualImpact) }
    public var acceptedBy: String? { text(.acceptedBy) }
    public var acceptedOn: String? { text(.acceptedOn) }
    public var acceptanceNote: String? { text(.acceptanceNote) }

    /// Score and level (`RiskRating`), once likelihood and impact are both known.
    public var rating: RiskRating? { RiskRating(likelihood: likelihood, impact: impact) }
    public var score: Int? { rating?.score }
    public var level: RiskLevel? { rating?.level }
    /// What is left after treatment, once the residual likelihood and impact are both known.
    public var residualRating: RiskRating? { RiskRating(likelihood: residualLikelihood, impact: residualImpact) }

    /// Whether the risk still relies on its treating controls: not deleted, not closed.
    public var isLive: Bool { !deleted && status != .closed }

    /// Whether the risk is live and above `acceptanceLevel` (residual level, or inherent when no
    /// residual is rated) with nobody's acceptance recorded (`RiskAcceptance`).
    public func lacksAcceptance(at acceptanceLevel: RiskLevel?) -> Bool {
        isLive && RiskAcceptance.isMissing(inherent: rating, residual: residualRating, acceptanceLevel: acceptanceLevel, acceptedBy: acceptedBy)
    }
}

import FieldbookModel
import FieldbookStore

/// The risk register sorted by level and score, with the 5x5 likelihood x impact heat map; once
/// risks are treated (ISO/IEC 42001 6.1.3), their residual rating beside the inherent one, a
/// second heat map after treatment, and who accepted what is left.
public struct RiskRegister: Encodable, Sendable {
    public let document: DocumentControl
    public let engagement: String
    public let risks: [Entry]
    /// `heatMap[likelihood - 1][impact - 1]`: how many risks sit in each cell.
    public let heatMap: [[Int]]
    /// The same after treatment: every risk at its residual rating, or at its inherent one while
    /// it has none (no reduction is claimed for a risk nobody rated after treatment), so both maps
    /// count the same risks and agree with the acceptance key figure (`RiskAcceptance`). nil
    /// while no risk has a residual rating.
    public let residualHeatMap: [[Int]]?
    /// How many risks the residual map shows at their inherent rating, having none after treatment.
    public let residualUnrated: Int
    /// The engagement's risk acceptance level, when it sets one.
    public let acceptanceLevel: String?
    public let kpis: KPIs

    enum CodingKeys: String, CodingKey {
        case document, engagement, risks, heatMap = "heat_map", residualHeatMap = "residual_heat_map", residualUnrated = "residual_unrated", acceptanceLevel = "acceptance_level", kpis
    }

    /// Whether the treatment columns are shown: some risk is treated, rated after treatment or
    /// accepted, or the engagement sets an acceptance level. A register without any stays as it was.
    public var showsTreatment: Bool {
        acceptanceLevel != nil || risks.contains { $0.residualLevel != nil || $0.treatedBy != nil || $0.acceptedBy != nil }
    }

    /// One risk: likelihood and impact (1 to 5), their product the score, and the level it falls in.
    public struct Entry: Encodable, Sendable {
        public let id: String
        public let title: String
        public let likelihood: Int64
        public let impact: Int64
        public let score: Int64
        public let level: String
        public let owner: String?
        public let treatment: String?
        public let status: String?
        public let requirements: [String]
        public let conflicted: Bool
        /// After treatment; nil until both residual figures are given.
        public let residualLikelihood: Int64?
        public let residualImpact: Int64?
        public let residualScore: Int64?
        public let residualLevel: String?
        /// The controls treating it; nil when none is named.
        public let treatedBy: [String]?
        public let acceptedBy: String?
        public let acceptedOn: String?
        /// true when it is above the acceptance level with no acceptance recorded.
        public let acceptanceMissing: Bool?

        enum CodingKeys: String, CodingKey {
            case id, title, likelihood, impact, score, level, owner, treatment, status, requirements, conflicted
            case residualLikelihood = "residual_likelihood", residualImpact = "residual_impact", residualScore = "residual_score"
            case residualLevel = "residual_level", treatedBy = "treated_by", acceptedBy = "accepted_by", acceptedOn = "accepted_on"
            case acceptanceMissing = "acceptance_missing"
        }
    }

    /// A risk's rating; a likelihood or impact not yet given counts as 1.
    static func rating(of risk: Risk) -> RiskRating {
        RiskRating(likelihood: risk.likelihood ?? 1, impact: risk.impact ?? 1)
    }

    static func level(of risk: Risk) -> RiskLevel { rating(of: risk).level }

    public init(data: ReportData) {
        document = data.document
        engagement = data.engagementName
        risks = data.risks.map { risk in
            let rating = Self.rating(of: risk), residual = risk.residualRating
            return Entry(id: risk.id.rawValue, title: risk.title ?? "(untitled)", likelihood: Int64(rating.likelihood),
                         impact: Int64(rating.impact), score: Int64(rating.score), level: rating.level.rawValue, owner: risk.owner, treatment: risk.treatment?.rawValue,
                         status: risk.status?.rawValue, requirements: risk.requirements, conflicted: !risk.conflictedFields.isEmpty,
                         residualLikelihood: residual.map { Int64($0.likelihood) }, residualImpact: residual.map { Int64($0.impact) },
                         residualScore: residual.map { Int64($0.score) }, residualLevel: residual?.level.rawValue,
                         treatedBy: risk.treatedBy.isEmpty ? nil : risk.treatedBy, acceptedBy: risk.acceptedBy, acceptedOn: risk.acceptedOn,
                         acceptanceMissing: risk.lacksAcceptance(at: data.riskAcceptanceLevel) ? true : nil)
        }.sorted { ($0.score, $1.id) > ($1.score, $0.id) }
        heatMap = Self.heatMap(of: data.risks)
        let rated = risks.filter { $0.residualScore != nil }.count
        residualHeatMap = rated == 0 ? nil : Self.grid(risks.map { entry in
            (entry.residualLikelihood ?? entry.likelihood, entry.residualImpact ?? entry.impact)
        })
        residualUnrated = risks.count - rated
        acceptanceLevel = data.riskAcceptanceLevel?.rawValue
        kpis = KPIs(data: data)
    }

    /// The inherent heat map of `risks`, as the register draws it: for a view that needs the map
    /// alone (the workbench's dashboard) without building the register and its key figures.
    public static func heatMap(of risks: [Risk]) -> [[Int]] {
        grid(risks.map { risk in
            let rating = rating(of: risk)
            return (Int64(rating.likelihood), Int64(rating.impact))
        })
    }

    /// `grid[likelihood - 1][impact - 1]`: how many of the (likelihood, impact) pairs sit in each cell.
    static func grid(_ ratings: [(likelihood: Int64, impact: Int64)]) -> [[Int]] {
        var grid = Array(repeating: Array(repeating: 0, count: 5), count: 5)
        for (likelihood, impact) in ratings where (1...5).contains(likelihood) && (1...5).contains(impact) {
            grid[Int(likelihood) - 1][Int(impact) - 1] += 1
        }
        return grid
    }
}

import FieldbookModel
import FieldbookStore

/// The risk register sorted by level and score, with the 5x5 likelihood x impact heat map.
public struct RiskRegister: Encodable, Sendable {
    public let document: DocumentControl
    public let engagement: String
    public let risks: [Entry]
    /// `heatMap[likelihood - 1][impact - 1]`: how many risks sit in each cell.
    public let heatMap: [[Int]]
    public let kpis: KPIs

    enum CodingKeys: String, CodingKey { case document, engagement, risks, heatMap = "heat_map", kpis }

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
            let rating = Self.rating(of: risk)
            return Entry(id: risk.id.rawValue, title: risk.title ?? "(untitled)", likelihood: Int64(rating.likelihood),
                         impact: Int64(rating.impact), score: Int64(rating.score), level: rating.level.rawValue, owner: risk.owner, treatment: risk.treatment?.rawValue,
                         status: risk.status?.rawValue, requirements: risk.requirements, conflicted: !risk.conflictedFields.isEmpty)
        }.sorted { ($0.score, $1.id) > ($1.score, $0.id) }
        var grid = Array(repeating: Array(repeating: 0, count: 5), count: 5)
        for risk in risks where (1...5).contains(risk.likelihood) && (1...5).contains(risk.impact) {
            grid[Int(risk.likelihood) - 1][Int(risk.impact) - 1] += 1
        }
        heatMap = grid
        kpis = KPIs(data: data)
    }
}

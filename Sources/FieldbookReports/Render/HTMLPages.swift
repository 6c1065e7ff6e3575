import FieldbookModel

// What the HTML templates (`Templates/*.mustache`) read: the report's figures, plus what a
// logic-less template cannot work out (percentages as text; chart geometry is in
// `HTMLCharts.swift`). Markup and escaping stay in the templates.
//
// Inside a section, Mustache looks a name it cannot find, or whose value is nil, up in the
// enclosing objects; so the templates read an optional value through a path or with a leading
// dot (`.owner`), which look in the current object only, and a nil renders empty.

/// The key figures: `kpis.mustache`, shown in the gap report and the risk register.
struct KPIsView {
    struct Framework {
        let figures: KPIs.FrameworkFigures
        let assessedPercent: String
        let compliantPercent: String
        let partiallyCompliantPercent: String
        let nonCompliantPercent: String
    }

    let kpis: KPIs
    let frameworks: [Framework]
    let agreePercent: String
    let disagreePercent: String
    /// Stored, not computed: Mustache reads stored properties.
    let riskLevels: [KPIs.NamedCount]
    let openSeverities: [KPIs.NamedCount]
    /// One card when the engagement sets a risk acceptance level, none otherwise.
    let riskAcceptance: [AcceptanceCard]

    struct AcceptanceCard { let level: String; let unaccepted: Int }
    /// One card each when the engagement sets an evidence age limit, and when it has requests.
    let staleEvidence: [StaleCard]
    let requests: [KPIs.RequestFigures]
    /// One card when there is fieldwork (sampled tests or interviews), none otherwise.
    let fieldwork: [KPIs.FieldworkFigures]
    let overdueRequests: [KPIs.OverdueRequest]

    struct StaleCard { let limit: String; let stale: Int; let files: Int }

    init(_ kpis: KPIs) {
        self.kpis = kpis
        riskLevels = kpis.risks.levelsWorstFirst
        openSeverities = kpis.findings.severitiesWorstFirst
        riskAcceptance = kpis.risks.acceptanceLevel.map { [AcceptanceCard(level: $0, unaccepted: kpis.risks.unaccepted ?? 0)] } ?? []
        staleEvidence = kpis.evidence.staleAfter.map { [StaleCard(limit: $0, stale: kpis.evidence.stale ?? 0, files: kpis.evidence.files)] } ?? []
        requests = kpis.requests.map { [$0] } ?? []
        fieldwork = kpis.fieldwork.map { [$0] } ?? []
        overdueRequests = kpis.requests?.overdueRequests ?? []
        frameworks = kpis.frameworks.map {
            Framework(figures: $0, assessedPercent: Format.percent($0.assessedPercent), compliantPercent: Format.percent($0.compliantPercent),
                      partiallyCompliantPercent: Format.percent($0.partiallyCompliantPercent),
                      nonCompliantPercent: Format.percent($0.nonCompliantPercent))
        }
        agreePercent = Format.percent(kpis.crosswalk.agreePercent)
        disagreePercent = Format.percent(kpis.crosswalk.disagreePercent)
    }
}

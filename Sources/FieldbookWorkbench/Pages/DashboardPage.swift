import FieldbookModel
import FieldbookReports
import FieldbookStore
import FieldbookSync
import Hummingbird

/// `/`: the engagement at a glance, the key figures the reports lead with: assessed and
/// compliant share per framework, gaps opened and closed per period, risks by level with the
/// 5x5 heat map, overdue corrective actions, evidence requests outstanding and overdue (linked to
/// the request list), conflicts, unsynced changes and the last sync.
enum DashboardPage: WorkbenchPages {
    static func add(to router: Router<WorkbenchContext>, workbench: Workbench) {
        router.get("/") { _, context in
            let page = try PageContext(workbench, context: context)
            return try page.page("Dashboard", current: "/", try body(page))
        }
    }

    static func body(_ page: PageContext) throws -> HTML {
        let workspace = page.workspace
        let data = try ReportData.load(workspace, library: page.catalogs)
        let kpis = KPIs(data: data)
        let status = try WorkspaceStatus(workspace, library: page.catalogs, today: data.today)
        let progress = try page.progress(data)
        let frameworkCards: [HTML] = kpis.frameworks.map { figures in
            H.li(H.span(figures.name), .element("span", [("class", "value")], [.text("\(figures.assessed)/\(figures.requirements) assessed")]),
                 H.small("\(Display.percent(figures.assessedPercent)) assessed; \(Display.percent(figures.compliantPercent)) of those compliant"))
        }
        let engagementCards: [HTML] = [
            H.li(H.span("Open conflicts"), .element("a", [("class", "value"), ("href", "/conflicts")], [.text(String(status.conflicts))])),
            H.li(H.span("Changes not yet synced or exported"), .element("span", [("class", "value")], [.text(String(status.unsyncedChanges))])),
            H.li(H.span("Last sync"), .element("span", [("class", "value")], [.text(status.lastSync ?? "never")])),
            H.li(H.span("Open findings"), .element("a", [("class", "value"), ("href", "/findings")], [.text(String(kpis.findings.open))]),
                 H.small("\(kpis.findings.overdue) with an overdue corrective action")),
        ] + requestCards(kpis)
        let gaps = H.table(caption: "Gaps opened and closed per quarter", header: ["quarter", "opened", "closed", "open at end", "assessed"],
                           rows: progress.periods.map { row in
                               [.text(row.period), .text(String(row.gapsOpened)), .text(String(row.gapsClosed)), .text(String(row.openGaps)),
                                .text("\(row.assessed) (\(Display.percent(row.assessedPercent)))")]
                           })
        let overdue: HTML = kpis.findings.overdueFindings.isEmpty
            ? H.p("No corrective action is overdue.")
            : H.table(caption: "Overdue corrective actions", header: ["finding", "due", "owner"], rows: kpis.findings.overdueFindings.map { item in
                [H.a("/findings/\(item.finding)", .text(item.title)), .text(item.due), .text(item.owner ?? "")]
            })
        return [
            H.h1(data.engagementName.isEmpty ? "Engagement" : data.engagementName),
            H.h2("Frameworks"), H.ul(frameworkCards, class: "cards"),
            H.h2("Engagement"), H.ul(engagementCards, class: "cards"),
            anomalies(status.anomalies ?? []),
            contradictions(status.contradictions ?? []),
            H.h2("Gaps"), gaps,
            H.h2("Risks"),
            H.p(.text("\(kpis.risks.identified) identified, \(kpis.risks.mitigated) mitigated, \(kpis.risks.open) open: "
                      + kpis.risks.levelsWorstFirst.map { "\($0.name) \($0.count)" }.joined(separator: ", ") + ".")),
            HeatMap.table(RiskRegister.heatMap(of: data.risks)),
            H.h2("Corrective actions"), overdue,
            overdueRequests(kpis.requests?.overdueRequests ?? []),
        ]
    }

    /// Evidence requests waiting on the client, and evidence older than the engagement's limit,
    /// as the key figures count them (`KPIs.requests`, `KPIs.evidence.stale`); absent while none apply.
    static func requestCards(_ kpis: KPIs) -> [HTML] {
        var cards: [HTML] = []
        if let requests = kpis.requests {
            cards.append(H.li(H.span("Evidence requests outstanding"), .element("a", [("class", "value"), ("href", "/requests")], [.text(String(requests.outstanding))]),
                              .element("small", [], [H.a("/requests?overdue=1", .text("\(requests.overdue) overdue")),
                                                     .text("; \(requests.received) received, \(requests.accepted) accepted of \(requests.total)")])))
        }
        if let limit = kpis.evidence.staleAfter, let stale = kpis.evidence.stale {
            cards.append(H.li(H.span("Evidence older than \(limit)"), .element("span", [("class", "value")], [.text(String(stale))]),
                              H.small("of \(kpis.evidence.files) evidence files")))
        }
        return cards
    }

    /// The requests to chase: waiting on the client past their due date, earliest first.
    static func overdueRequests(_ overdue: [KPIs.OverdueRequest]) -> HTML {
        guard !overdue.isEmpty else { return .empty }
        return [H.h2("Overdue evidence requests"),
                H.table(caption: "Evidence requests past their due date", header: ["request", "due", "from"], rows: overdue.map { item in
                    [H.a("/requests/\(item.request)", .text(item.title)), .text(item.due), .text(item.contact ?? "")]
                }),
                H.p(H.a("/requests?overdue=1", "Chase them from the request list"))]
    }

    /// Exclusions a risk's treatment relies on (`RiskTreatmentRules`): a final SoA is refused while any stands.
    static func contradictions(_ contradictions: [WorkspaceStatus.Contradiction]) -> HTML {
        guard !contradictions.isEmpty else { return .empty }
        return [H.h2("Statement of Applicability contradicts risk treatment"),
                H.p("Include each control, or take it out of the risks' treatment; a final SoA is refused meanwhile."),
                H.ul(contradictions.map { H.li(.text($0.problem)) })]
    }

    static func anomalies(_ anomalies: [WorkspaceStatus.Anomaly]) -> HTML {
        guard !anomalies.isEmpty else { return .empty }
        return [H.h2("Received state that breaks a rule"),
                H.p("Kept, since nothing anyone typed is lost; correct each where it stands."),
                H.ul(anomalies.map { H.li(.text("\($0.entity): \($0.problem)")) })]
    }
}

/// The 5x5 risk heat map as a table: likelihood down (5 at the top), impact across.
enum HeatMap {
    static func table(_ grid: [[Int]]) -> HTML {
        let rows: [HTML] = (1...5).reversed().map { likelihood in
            .element("tr", [], [.element("th", [("scope", "row")], [.text("likelihood \(likelihood)")])] + (1...5).map { impact in
                let level = RiskRating(likelihood: likelihood, impact: impact)?.level.rawValue ?? ""
                let count = grid[likelihood - 1][impact - 1]
                return .element("td", [("class", level), ("aria-label", "\(count) risks at likelihood \(likelihood), impact \(impact) (\(level))")],
                                [.text(count == 0 ? "" : String(count))])
            })
        }
        return .element("table", [("class", "heat")], [
            .element("caption", [], [.text("Risk heat map: risks by likelihood and impact")]),
            .element("thead", [], [.element("tr", [], [.element("td", [], [])] + (1...5).map { .element("th", [("scope", "col")], [.text("impact \($0)")]) })]),
            .element("tbody", [], rows),
        ])
    }
}

import FieldbookModel

/// Self-contained HTML: inline CSS, an inline SVG heat map, no scripts, no external assets,
/// readable when printed. Every text from the workspace is escaped.
enum HTMLRenderer {
    static func escape(_ text: String?) -> String {
        var result = ""
        for character in text ?? "" {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    static let style = """
        body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#1d2330;margin:2rem;max-width:72rem}
        h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccd;padding-bottom:.2rem}
        .sub{color:#5a6270;margin-top:0}table{border-collapse:collapse;width:100%;font-size:.85rem;margin:.5rem 0}
        th,td{border:1px solid #d5d9e0;padding:.3rem .45rem;text-align:left;vertical-align:top}th{background:#f1f3f6}
        .cards{display:flex;flex-wrap:wrap;gap:.6rem}.card{border:1px solid #d5d9e0;border-radius:6px;padding:.6rem .8rem;min-width:10rem}
        .card b{display:block;font-size:1.3rem}.compliant{color:#17692f}.partially-compliant{color:#8a5a00}.non-compliant{color:#a4161a}
        .not-applicable,.not-assessed,.undecided{color:#6b7280}.excluded{color:#8a5a00}.inferred{background:#f7f7fb;font-style:italic}.tag{font-size:.75rem;border:1px solid #aab;border-radius:3px;padding:0 .25rem}
        @media print{body{margin:0}h2{page-break-after:avoid}tr{page-break-inside:avoid}.cards{display:block}.card{display:inline-block;margin:.2rem}}
        """

    static func page(_ title: String, _ body: [String]) -> String {
        (["<!DOCTYPE html>", "<html lang=\"en\"><head><meta charset=\"utf-8\">", "<title>\(escape(title))</title>",
          "<style>\(style)</style></head><body>"] + body + ["</body></html>"]).joined(separator: "\n") + "\n"
    }

    static func kpis(_ kpis: KPIs) -> [String] {
        var html = ["<h2>Key figures</h2>", "<div class=\"cards\">"]
        for f in kpis.frameworks {
            html.append("<div class=\"card\">\(escape(f.framework)) assessed<b>\(Format.percent(f.assessedPercent))</b>\(f.assessed) of \(f.requirements); compliant \(Format.percent(f.compliantPercent)), partially \(Format.percent(f.partiallyCompliantPercent)), non-compliant \(Format.percent(f.nonCompliantPercent))</div>")
        }
        let c = kpis.crosswalk
        html.append("<div class=\"card\">Crosswalk rows assessed at both ends<b>\(c.bothAssessed)</b>agree \(Format.percent(c.agreePercent)), disagree \(Format.percent(c.disagreePercent))</div>")
        html.append("<div class=\"card\">Risks identified / mitigated<b>\(kpis.risks.identified) / \(kpis.risks.mitigated)</b>" + kpis.risks.byLevel.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "</div>")
        html.append("<div class=\"card\">Open findings<b>\(kpis.findings.open)</b>" + kpis.findings.openBySeverity.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "</div>")
        html.append("<div class=\"card\">Evidence files unverified<b>\(kpis.evidence.unverified)</b>of \(kpis.evidence.files)</div></div>")
        if !kpis.findings.overdueFindings.isEmpty {
            html += ["<h3>Overdue corrective actions</h3>", "<table><tr><th>finding</th><th>due</th><th>owner</th></tr>"]
            html += kpis.findings.overdueFindings.map { "<tr><td>\(escape($0.title))</td><td class=\"non-compliant\">\(escape($0.due))</td><td>\(escape($0.owner))</td></tr>" }
            html.append("</table>")
        }
        if !c.disagreements.isEmpty {
            html += ["<h3>Where the frameworks' results disagree</h3>", "<table><tr><th>AI RMF</th><th>result</th><th>ISO/IEC 42001</th><th>result</th></tr>"]
            html += c.disagreements.map { "<tr><td>\(escape($0.nistAIRMF))</td><td class=\"\($0.nistStatus)\">\($0.nistStatus)</td><td>\(escape($0.iso42001))</td><td class=\"\($0.isoStatus)\">\($0.isoStatus)</td></tr>" }
            html.append("</table>")
        }
        return html
    }

    static func gap(_ report: GapReport) -> String {
        var body = ["<h1>Gap analysis: \(escape(report.frameworkName))</h1>", "<p class=\"sub\">\(escape(report.engagement))</p>"]
        body += kpis(report.kpis)
        body += ["<h2>Roll-up</h2>", "<table><tr><th>group</th><th>assessed</th><th>compliant</th><th>partially</th><th>non-compliant</th><th>n/a</th></tr>"]
        body += report.rollups.map { "<tr><td style=\"padding-left:\(0.45 + Double($0.depth) * 1.4)rem\">\(escape($0.id)) \(escape($0.title))</td><td>\($0.assessed)/\($0.requirements)</td><td>\($0.compliant)</td><td>\($0.partiallyCompliant)</td><td>\($0.nonCompliant)</td><td>\($0.notApplicable)</td></tr>" }
        body += ["</table>", "<h2>Requirements</h2>",
                 "<table><tr><th>requirement</th><th>result</th><th>maturity</th><th>evidence</th><th>open findings</th><th>risks</th><th>note</th></tr>"]
        for row in report.rows {
            let status = row.status ?? "not-assessed"
            body.append("<tr><td>\(escape(row.requirement))<br><small>\(escape(row.title))</small></td><td class=\"\(status)\">\(status)\(row.conflicted ? " <span class=\"tag\">conflict</span>" : "")</td><td>\(row.maturity.map(String.init) ?? "")</td><td>\(row.evidence)</td><td>\(row.openFindings)</td><td>\(row.risks)</td><td>\(escape(row.note))</td></tr>")
            if let inferred = row.inferred, inferred.signal != "no-signal" {
                let from = inferred.related.filter { $0.status != nil }.map { "\(escape($0.requirement)) \($0.status!)" }.joined(separator: "; ")
                let evidence = inferred.availableEvidence.map { escape($0.filename ?? $0.evidence) }.joined(separator: ", ")
                body.append("<tr class=\"inferred\"><td></td><td colspan=\"6\"><span class=\"tag\">inferred, not assessed</span> \(escape(inferred.summary)): \(from)\(evidence.isEmpty ? "" : ". Evidence available: \(evidence)")</td></tr>")
            }
        }
        body.append("</table>")
        return page("Gap analysis: \(report.frameworkName)", body)
    }

    /// The 5x5 likelihood x impact matrix, cells coloured by level, counts in the cells.
    static func heatMap(_ grid: [[Int]]) -> String {
        let cell = 64, left = 80, top = 20
        let width = left + 4 * 105 + 20
        var svg = ["<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"\(width)\" height=\"\(top + cell * 5 + 80)\" viewBox=\"0 0 \(width) \(top + cell * 5 + 80)\">",
                   "<title>Risk heat map: likelihood against impact</title>"]
        let colours = ["low": "#cfe8d5", "medium": "#f8e3a3", "high": "#f6b48f", "critical": "#e8787a"]
        for likelihood in 1...5 {
            for impact in 1...5 {
                let x = left + (impact - 1) * cell, y = top + (5 - likelihood) * cell
                let level = RiskLevel(likelihood: likelihood, impact: impact).rawValue
                let count = grid[likelihood - 1][impact - 1]
                svg.append("<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell)\" height=\"\(cell)\" fill=\"\(colours[level]!)\" stroke=\"#ffffff\" stroke-width=\"2\"/>")
                if count > 0 {
                    svg.append("<text x=\"\(x + cell / 2)\" y=\"\(y + cell / 2 + 7)\" text-anchor=\"middle\" font-size=\"20\" font-weight=\"bold\" fill=\"#1d2330\">\(count)</text>")
                }
            }
            svg.append("<text x=\"\(left - 10)\" y=\"\(top + (5 - likelihood) * cell + cell / 2 + 5)\" text-anchor=\"end\" font-size=\"13\">\(likelihood)</text>")
        }
        for impact in 1...5 {
            svg.append("<text x=\"\(left + (impact - 1) * cell + cell / 2)\" y=\"\(top + cell * 5 + 18)\" text-anchor=\"middle\" font-size=\"13\">\(impact)</text>")
        }
        svg.append("<text x=\"\(left + cell * 5 / 2)\" y=\"\(top + cell * 5 + 42)\" text-anchor=\"middle\" font-size=\"13\">impact</text>")
        svg.append("<text x=\"16\" y=\"\(top + cell * 5 / 2)\" text-anchor=\"middle\" font-size=\"13\" transform=\"rotate(-90 16 \(top + cell * 5 / 2))\">likelihood</text>")
        // Legend: the four levels and the scores they cover.
        for (index, (level, range)) in [("low", "1–4"), ("medium", "5–9"), ("high", "10–16"), ("critical", "20–25")].enumerated() {
            let x = left + index * 105, y = top + cell * 5 + 52
            svg.append("<rect x=\"\(x)\" y=\"\(y)\" width=\"14\" height=\"14\" fill=\"\(colours[level]!)\"/>")
            svg.append("<text x=\"\(x + 18)\" y=\"\(y + 12)\" font-size=\"12\">\(level) \(range)</text>")
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n")
    }

    static func risks(_ register: RiskRegister) -> String {
        var body = ["<h1>Risk register</h1>", "<p class=\"sub\">\(escape(register.engagement))</p>", "<h2>Heat map</h2>", heatMap(register.heatMap)]
        body += ["<h2>Register</h2>", "<table><tr><th>level</th><th>score</th><th>L</th><th>I</th><th>risk</th><th>owner</th><th>treatment</th><th>status</th><th>requirements</th></tr>"]
        body += register.risks.map {
            "<tr><td>\($0.level)</td><td>\($0.score)</td><td>\($0.likelihood)</td><td>\($0.impact)</td><td>\(escape($0.title))\($0.conflicted ? " <span class=\"tag\">conflict</span>" : "")</td><td>\(escape($0.owner))</td><td>\(escape($0.treatment))</td><td>\(escape($0.status))</td><td>\(escape($0.requirements.joined(separator: ", ")))</td></tr>"
        }
        body.append("</table>")
        body += kpis(register.kpis)
        return page("Risk register", body)
    }

    static func soa(_ soa: StatementOfApplicability) -> String {
        let s = soa.summary
        var body = ["<h1>Statement of Applicability</h1>", "<p class=\"sub\">\(escape(soa.engagement)) — ISO/IEC 42001:2023, 6.1.3</p>",
                    "<div class=\"cards\"><div class=\"card\">Annex A controls<b>\(s.controls)</b></div>",
                    "<div class=\"card\">Included<b>\(s.included)</b>\(s.implemented) implemented</div>",
                    "<div class=\"card\">Excluded<b>\(s.excluded)</b></div><div class=\"card\">Undecided<b>\(s.undecided)</b></div></div>",
                    "<table><tr><th>control</th><th>applicability</th><th>justification</th><th>implementation</th><th>evidence</th><th>AI RMF (crosswalk)</th></tr>"]
        for control in soa.controls {
            let implementation = control.implementation ?? "not-assessed"
            let evidence = control.evidence.map { escape($0.filename ?? $0.id) }.joined(separator: "<br>")
            let related = control.aiRMF.map { "\(escape($0.requirement.replacingOccurrences(of: "nist-ai-rmf:", with: "")))\($0.status.map { " <span class=\"\($0)\">(\($0))</span>" } ?? "")" }.joined(separator: ", ")
            body.append("<tr><td>\(escape(control.ref))<br><small>\(escape(control.title))</small></td><td class=\"\(control.applicability)\">\(control.applicability)\(control.conflicted ? " <span class=\"tag\">conflict</span>" : "")</td><td>\(escape(control.justification))</td><td class=\"\(implementation)\">\(implementation)</td><td>\(evidence)</td><td><small>\(related)</small></td></tr>")
        }
        body.append("</table>")
        return page("Statement of Applicability", body)
    }

    /// Burn-up: requirements assessed and gaps closed, cumulative, against the total.
    static func burnUp(_ report: ProgressReport) -> String {
        let width = 640, height = 260, left = 50, bottom = 40, top = 20
        let periods = max(report.periods.count, 1)
        let plotWidth = width - left - 20, plotHeight = height - top - bottom
        let maximum = max(report.requirements, 1)
        func x(_ index: Int) -> Int { left + (periods == 1 ? plotWidth / 2 : index * plotWidth / (periods - 1)) }
        func y(_ value: Int) -> Int { top + plotHeight - value * plotHeight / maximum }
        var closedTotal = 0
        var assessedPoints: [String] = [], closedPoints: [String] = []
        for (index, row) in report.periods.enumerated() {
            closedTotal += row.gapsClosed
            assessedPoints.append("\(x(index)),\(y(row.assessed))")
            closedPoints.append("\(x(index)),\(y(closedTotal))")
        }
        var svg = ["<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"\(width)\" height=\"\(height + 30)\" viewBox=\"0 0 \(width) \(height + 30)\">",
                   "<title>Burn-up: requirements assessed and gaps closed over time</title>",
                   "<line x1=\"\(left)\" y1=\"\(y(maximum))\" x2=\"\(left + plotWidth)\" y2=\"\(y(maximum))\" stroke=\"#8a93a3\" stroke-dasharray=\"4 4\"/>",
                   "<text x=\"\(left + plotWidth)\" y=\"\(y(maximum) - 5)\" text-anchor=\"end\" font-size=\"11\">\(maximum) requirements</text>",
                   "<line x1=\"\(left)\" y1=\"\(top + plotHeight)\" x2=\"\(left + plotWidth)\" y2=\"\(top + plotHeight)\" stroke=\"#1d2330\"/>",
                   "<line x1=\"\(left)\" y1=\"\(top)\" x2=\"\(left)\" y2=\"\(top + plotHeight)\" stroke=\"#1d2330\"/>",
                   "<polyline fill=\"none\" stroke=\"#2f6fd6\" stroke-width=\"3\" points=\"\(assessedPoints.joined(separator: " "))\"/>",
                   "<polyline fill=\"none\" stroke=\"#17692f\" stroke-width=\"3\" stroke-dasharray=\"6 3\" points=\"\(closedPoints.joined(separator: " "))\"/>"]
        // Markers, so a single period (a polyline of one point) still shows.
        for (assessed, closed) in zip(assessedPoints, closedPoints) {
            let a = assessed.split(separator: ","), c = closed.split(separator: ",")
            svg.append("<circle cx=\"\(a[0])\" cy=\"\(a[1])\" r=\"4\" fill=\"#2f6fd6\"/><circle cx=\"\(c[0])\" cy=\"\(c[1])\" r=\"4\" fill=\"#17692f\"/>")
        }
        for (index, row) in report.periods.enumerated() where periods <= 12 || index % max(1, periods / 12) == 0 {
            svg.append("<text x=\"\(x(index))\" y=\"\(top + plotHeight + 16)\" text-anchor=\"middle\" font-size=\"11\">\(escape(row.period))</text>")
        }
        svg.append("<text x=\"\(left - 6)\" y=\"\(top + plotHeight + 4)\" text-anchor=\"end\" font-size=\"11\">0</text>")
        svg.append("<rect x=\"\(left)\" y=\"\(height + 8)\" width=\"14\" height=\"4\" fill=\"#2f6fd6\"/><text x=\"\(left + 20)\" y=\"\(height + 14)\" font-size=\"12\">requirements assessed</text>")
        svg.append("<rect x=\"\(left + 200)\" y=\"\(height + 8)\" width=\"14\" height=\"4\" fill=\"#17692f\"/><text x=\"\(left + 220)\" y=\"\(height + 14)\" font-size=\"12\">gaps closed (cumulative)</text>")
        svg.append("</svg>")
        return svg.joined(separator: "\n")
    }

    static func progress(_ report: ProgressReport) -> String {
        let h = report.highRisks
        var body = ["<h1>Progress by \(report.by)</h1>", "<p class=\"sub\">\(escape(report.engagement))</p>", "<h2>Burn-up</h2>", burnUp(report),
                    "<div class=\"cards\"><div class=\"card\">High and critical risks<b>\(h.logged)</b>\(h.mitigated) mitigated, \(h.stillOpen) open</div>",
                    "<div class=\"card\">Days to mitigate<b>\(h.meanDaysToMitigate.map { String($0) } ?? "–")</b>mean; worst \(h.worstDaysToMitigate.map { String($0) } ?? "–")</div></div>",
                    "<h2>Per \(report.by)</h2>", "<table><tr><th>period</th><th>gaps opened</th><th>gaps closed</th><th>open gaps</th><th>assessed</th></tr>"]
        body += report.periods.map { "<tr><td>\(escape($0.period))</td><td>\($0.gapsOpened)</td><td>\($0.gapsClosed)</td><td>\($0.openGaps)</td><td>\($0.assessed) (\(Format.percent($0.assessedPercent)))</td></tr>" }
        body.append("</table>")
        return page("Progress", body)
    }
}

extension RiskRegister: RenderableReport {
    /// The risk register as a document: the heat map (and the residual one once risks are rated
    /// after treatment), the register, the engagement's key figures.
    public var reportDocument: ReportDocument {
        var columns: [ReportDocument.Table.Column] = [
            .init(title: "level", weight: 7), .init(title: "score", weight: 6, alignment: .right), .init(title: "L", weight: 2, alignment: .center),
            .init(title: "I", weight: 2, alignment: .center), .init(title: "risk", weight: 13), .init(title: "owner", weight: 9),
            .init(title: "treatment", weight: 9)]
        if showsTreatment {
            columns += [.init(title: "residual", weight: 8), .init(title: "treated by", weight: 11), .init(title: "accepted", weight: 9)]
        }
        columns += [.init(title: "status", weight: 8), .init(title: "requirements", weight: 13, media: [.html, .word])]
        let register = ReportDocument.Table(
            columns: columns,
            rows: risks.map { risk in
                var level = ReportDocument.Table.Cell.spans([.verbatim(risk.level)])
                level.riskLevel = risk.level
                var cells: [ReportDocument.Table.Cell] = [
                    level, .spans([.verbatim("\(risk.score)")]), .spans([.verbatim("\(risk.likelihood)")]), .spans([.verbatim("\(risk.impact)")]),
                    .spans([.plain(risk.title)] + (risk.conflicted ? [ReportDocument.Span(text: "conflict", role: .conflict, media: [.html, .word])] : [])),
                    .text(risk.owner), .spans([.verbatim(risk.treatment ?? "")])]
                if showsTreatment { cells += Self.treatmentCells(risk) }
                cells += [.spans([.verbatim(risk.status ?? "")]), Self.requirementsCell(risk.requirements)]
                return ReportDocument.Table.Row(cells)
            },
            whenEmpty: "No risks recorded.", whenEmptyIn: [.word])
        var blocks: [ReportDocument.Block] = [.only([.html, .word], .heading(level: 1, text: "Heat map")), .only([.html, .word], .chart(.heatMap(heatMap)))]
        if let residualHeatMap {
            blocks += [.only([.html, .word], .heading(level: 1, text: "Residual heat map (after treatment)")),
                       .only([.html, .word], .chart(.heatMap(residualHeatMap, title: Self.residualTitle)))]
            if let note = residualNote { blocks.append(.only([.html, .word], .paragraph([.plain(note)]))) }
        }
        blocks += [.only([.html, .word], .heading(level: 1, text: "Register")), .table(register),
                   .only([.markdown], .heading(level: 1, text: "Heat map (likelihood down, impact across)")), .only([.markdown], .chart(.heatMap(heatMap)))]
        if let residualHeatMap {
            blocks += [.only([.markdown], .heading(level: 1, text: "Residual heat map, after treatment (likelihood down, impact across)")),
                       .only([.markdown], .chart(.heatMap(residualHeatMap, title: Self.residualTitle)))]
            if let note = residualNote { blocks.append(.only([.markdown], .paragraph([.plain(note)]))) }
        }
        blocks.append(.kpis(kpis))
        return ReportDocument(title: "Risk register", control: document, orientation: showsTreatment ? .landscape : .portrait, blocks: blocks,
                              data: .init(header: Self.csvHeader, rows: dataRows))
    }

    static let residualTitle = "Residual risk heat map, after treatment: likelihood against impact"

    /// Under the residual map, while some risks have no rating after treatment: where they sit.
    var residualNote: String? {
        guard residualUnrated > 0 else { return nil }
        let risks = residualUnrated == 1 ? "1 risk has" : "\(residualUnrated) risks have"
        return "\(risks) no rating after treatment yet and \(residualUnrated == 1 ? "sits" : "sit") at \(residualUnrated == 1 ? "its" : "their") inherent rating."
    }

    /// A list of requirement ids: verbatim in HTML (and Markdown, when `markdown`), small in Word.
    static func requirementsCell(_ requirements: [String], markdown: Bool = false) -> ReportDocument.Table.Cell {
        var cell = ReportDocument.Table.Cell(paragraphs: requirements.map {
            [ReportDocument.Span(text: $0, role: .verbatim, media: markdown ? [.html, .markdown] : [.html]), .small($0, in: [.word])]
        })
        cell.htmlSeparator = ", "
        cell.markdownSeparator = ", "
        return cell
    }

    /// Residual level and score, the treating controls, and the acceptance (or its absence when
    /// one is needed).
    static func treatmentCells(_ risk: Entry) -> [ReportDocument.Table.Cell] {
        var residual = ReportDocument.Table.Cell.spans(risk.residualLevel.map { [.verbatim("\($0) \(risk.residualScore ?? 0)")] } ?? [])
        residual.riskLevel = risk.residualLevel
        let accepted: ReportDocument.Table.Cell = if let by = risk.acceptedBy {
            .text(by + (risk.acceptedOn.map { ", \($0)" } ?? ""))
        } else if risk.acceptanceMissing == true {
            .spans([.alert("needed")])
        } else {
            .text(nil)
        }
        return [residual, requirementsCell(risk.treatedBy ?? [], markdown: true), accepted]
    }

    /// The CSV header: a risk's columns, then a metric and its value (heat map cells, key figures).
    static let csvHeader = ["section", "id", "title", "likelihood", "impact", "score", "level", "owner", "treatment", "status", "requirements",
                            "residual_likelihood", "residual_impact", "residual_score", "residual_level", "treated_by", "accepted_by", "accepted_on",
                            "metric", "value"]

    /// CSV: a row per risk, per heat map cell (inherent, then residual) and per key figure.
    var dataRows: [[String?]] {
        let entries: [[String?]] = risks.map { risk in
            ["risk", risk.id, risk.title, String(risk.likelihood), String(risk.impact), String(risk.score), risk.level,
             risk.owner, risk.treatment, risk.status, risk.requirements.joined(separator: " "),
             risk.residualLikelihood.map(String.init), risk.residualImpact.map(String.init), risk.residualScore.map(String.init), risk.residualLevel,
             risk.treatedBy?.joined(separator: " "), risk.acceptedBy, risk.acceptedOn, nil, nil]
        }
        return entries + Self.heatRows("heat", heatMap) + (residualHeatMap.map { Self.heatRows("residual-heat", $0) } ?? [])
            + CSVRenderer.kpiRows(kpis, width: Self.csvHeader.count)
    }

    /// A heat map's 25 cells as CSV rows of one section.
    static func heatRows(_ section: String, _ grid: [[Int]]) -> [[String?]] {
        var cells: [[String?]] = []
        for likelihood in 1...5 {
            for impact in 1...5 {
                cells.append([section, nil, nil, String(likelihood), String(impact), String(likelihood * impact)]
                             + Array(repeating: nil, count: csvHeader.count - 8) + ["risks", String(grid[likelihood - 1][impact - 1])])
            }
        }
        return cells
    }
}

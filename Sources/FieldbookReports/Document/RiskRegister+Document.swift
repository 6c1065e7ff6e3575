extension RiskRegister: RenderableReport {
    /// The risk register as a document: the heat map, the register, the engagement's key figures.
    public var reportDocument: ReportDocument {
        let register = ReportDocument.Table(
            columns: [.init(title: "level", weight: 7), .init(title: "score", weight: 6, alignment: .right), .init(title: "L", weight: 2, alignment: .center),
                      .init(title: "I", weight: 2, alignment: .center), .init(title: "risk", weight: 13), .init(title: "owner", weight: 9),
                      .init(title: "treatment", weight: 9), .init(title: "status", weight: 8), .init(title: "requirements", weight: 13, media: [.html, .word])],
            rows: risks.map { risk in
                var level = ReportDocument.Table.Cell.spans([.verbatim(risk.level)])
                level.riskLevel = risk.level
                var requirements = ReportDocument.Table.Cell(paragraphs: risk.requirements.map {
                    [ReportDocument.Span(text: $0, role: .verbatim, media: [.html]), .small($0, in: [.word])]
                })
                requirements.htmlSeparator = ", "
                return [level, .spans([.verbatim("\(risk.score)")]), .spans([.verbatim("\(risk.likelihood)")]), .spans([.verbatim("\(risk.impact)")]),
                        .spans([.plain(risk.title)] + (risk.conflicted ? [ReportDocument.Span(text: "conflict", role: .conflict, media: [.html, .word])] : [])),
                        .text(risk.owner), .spans([.verbatim(risk.treatment ?? "")]), .spans([.verbatim(risk.status ?? "")]), requirements]
            },
            whenEmpty: "No risks recorded.", whenEmptyIn: [.word])
        return ReportDocument(
            title: "Risk register", control: document, orientation: .portrait,
            blocks: [.only([.html, .word], .heading(level: 1, text: "Heat map")), .only([.html, .word], .chart(.heatMap(heatMap))),
                     .only([.html, .word], .heading(level: 1, text: "Register")), .table(register),
                     .only([.markdown], .heading(level: 1, text: "Heat map (likelihood down, impact across)")), .only([.markdown], .chart(.heatMap(heatMap))),
                     .kpis(kpis)],
            data: .init(header: CSVRenderer.riskHeader, rows: dataRows))
    }

    /// CSV: a row per risk, per heat map cell and per key figure.
    var dataRows: [[String?]] {
        let entries: [[String?]] = risks.map { risk in
            ["risk", risk.id, risk.title, String(risk.likelihood), String(risk.impact), String(risk.score), risk.level,
             risk.owner, risk.treatment, risk.status, risk.requirements.joined(separator: " "), nil, nil]
        }
        var cells: [[String?]] = []
        for likelihood in 1...5 {
            for impact in 1...5 {
                cells.append(["heat", nil, nil, String(likelihood), String(impact), String(likelihood * impact), nil, nil, nil, nil, nil,
                              "risks", String(heatMap[likelihood - 1][impact - 1])])
            }
        }
        return entries + cells + CSVRenderer.kpiRows(kpis, width: CSVRenderer.riskHeader.count)
    }
}

import FieldbookModel

extension ProgressReport: RenderableReport {
    /// Progress as a document: the burn-up (a chart in HTML, a table with bars in Word), the
    /// periods, the high and critical risks.
    public var reportDocument: ReportDocument {
        let h = highRisks
        let (headline, detail) = Format.mitigation(h)
        let figures = ReportDocument.KeyFigures(
            sentence: "High and critical risks: \(h.logged) logged, \(h.mitigated) mitigated, \(h.stillOpen) still open. "
                + "Days from logging to mitigation: \(headline) (\(detail)).",
            cards: [[.init(label: "High and critical risks", value: "\(h.logged)", detail: "\(h.mitigated) mitigated, \(h.stillOpen) open")],
                    [.init(label: "Days to mitigate high risks", value: headline, detail: detail)]],
            rows: [("Logged", "\(h.logged)"), ("Mitigated", "\(h.mitigated)"), ("Still open", "\(h.stillOpen)"),
                   ("Days to mitigate", "\(headline) (\(detail))")],
            wordHeading: "High and critical risks", wordWidth: 0.6)
        let periodTable = ReportDocument.Table(
            columns: ["period", "gaps opened", "gaps closed", "open gaps", "assessed"].map { .init(title: $0, weight: 1) },
            rows: periods.map { row in
                [.spans([.verbatim(row.period)]), .spans([.verbatim("\(row.gapsOpened)")]), .spans([.verbatim("\(row.gapsClosed)")]),
                 .spans([.verbatim("\(row.openGaps)")]),
                 .spans([ReportDocument.Span(text: "\(row.assessed)/\(requirements) (\(Format.percent(row.assessedPercent)))", role: .verbatim, media: [.markdown]),
                         ReportDocument.Span(text: "\(row.assessed) (\(Format.percent(row.assessedPercent)))", role: .verbatim, media: [.html])])]
            })
        return ReportDocument(
            title: "Progress by \(by)", pageTitle: "Progress", control: document, orientation: .portrait,
            blocks: [.only([.html], .heading(level: 1, text: "Burn-up")), .only([.html], .chart(.burnUp(self))), .only([.html], .keyFigures(figures)),
                     .only([.html], .heading(level: 1, text: "Per \(by)")), .only([.word], .heading(level: 1, text: "Burn-up per \(by)")),
                     .only([.markdown, .html], .table(periodTable)), .only([.word], .table(burnUpTable)), .only([.markdown, .word], .keyFigures(figures))],
            data: .init(header: ["period", "gaps_opened", "gaps_closed", "open_gaps", "assessed", "assessed_percent"],
                        rows: periods.map { [$0.period, String($0.gapsOpened), String($0.gapsClosed), String($0.openGaps), String($0.assessed), String($0.assessedPercent)] }))
    }

    /// Word's burn-up: the periods with the gaps closed so far and a bar of up to 20 blocks for the share assessed.
    var burnUpTable: ReportDocument.Table {
        var closedTotal = 0
        return ReportDocument.Table(
            columns: [.init(title: by, weight: 4), .init(title: "gaps opened", weight: 3, alignment: .right),
                      .init(title: "gaps closed", weight: 3, alignment: .right), .init(title: "closed so far", weight: 3, alignment: .right),
                      .init(title: "open gaps", weight: 3, alignment: .right), .init(title: "assessed of \(requirements)", weight: 5, alignment: .right),
                      .init(title: "share assessed", weight: 8)],
            rows: periods.map { row in
                closedTotal += row.gapsClosed
                let bar = String(repeating: "█", count: Int((min(max(row.assessedPercent, 0), 100) / 5).rounded()))
                return [.spans([.lead(row.period)]), .text("\(row.gapsOpened)"), .text("\(row.gapsClosed)"), .text("\(closedTotal)"),
                        .text("\(row.openGaps)"), .text("\(row.assessed) (\(Format.percent(row.assessedPercent)))"),
                        .spans([ReportDocument.Span(text: bar, role: .bar)])]
            },
            whenEmpty: "Nothing recorded yet.")
    }
}

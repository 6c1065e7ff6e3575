import FieldbookModel
import Foundation

/// Word documents of every report: the same content as the HTML report, in the same order,
/// as a `WordDocument` (title block first), packaged by `DOCXPackage`. The gap report's
/// content is in `DOCXRenderer+Gap.swift`.
enum DOCXRenderer {
    static func gap(_ report: GapReport) throws -> Data { try DOCXPackage.data(gapDocument(report)) }
    static func risks(_ register: RiskRegister) throws -> Data { try DOCXPackage.data(risksDocument(register)) }

    // MARK: Risk register

    /// Portrait: the heat map, the register (nine narrow columns fit A4), the key figures.
    static func risksDocument(_ register: RiskRegister) -> WordDocument {
        let title = "Risk register"
        var blocks: [WordDocument.Block] = [DOCXBlocks.titleBlock(title, subtitle: nil, register.document),
                                            .heading(level: 1, text: "Heat map")]
        // Likelihood rises upwards, impact to the right, as in the HTML heat map.
        var grid = Table(columns: [Table.Column("likelihood \\ impact", 5, .center)] + (1...5).map { Table.Column("\($0)", 2, .center) },
                         rows: [], width: 0.6, shadeFirstColumn: true, rowHeight: 520)
        for likelihood in (1...5).reversed() {
            let counts = register.heatMap.indices.contains(likelihood - 1) ? register.heatMap[likelihood - 1] : []
            grid.rows.append([.runs([.bold("\(likelihood)")])] + (1...5).map { impact in
                let count = counts.indices.contains(impact - 1) ? counts[impact - 1] : 0
                let level = RiskRating(likelihood: likelihood, impact: impact).level.rawValue
                return .runs(count == 0 ? [] : [.bold("\(count)")], shading: DOCXBlocks.fill(ofLevel: level))
            })
        }
        blocks.append(.table(grid))
        let legend = [("low", "1–4"), ("medium", "5–9"), ("high", "10–16"), ("critical", "20–25")]
        blocks.append(.table(Table(columns: legend.map { Table.Column($0.0, 1, .center) },
                                   rows: [legend.map { .text("\($0.0) \($0.1)", shading: DOCXBlocks.fill(ofLevel: $0.0)) }],
                                   width: 0.6, hasHeader: false)))
        blocks.append(.paragraph([.plain("Each cell counts the risks at that likelihood and impact (1 to 5); the colour is the level their product falls in.")],
                                 style: .note))
        blocks.append(.heading(level: 1, text: "Register"))
        if register.risks.isEmpty {
            blocks.append(.paragraph([.plain("No risks recorded.")]))
        } else {
            blocks.append(.table(Table(
                columns: [Table.Column("level", 7), Table.Column("score", 6, .right), Table.Column("L", 2, .center), Table.Column("I", 2, .center),
                          Table.Column("risk", 13), Table.Column("owner", 9), Table.Column("treatment", 9), Table.Column("status", 8),
                          Table.Column("requirements", 13)],
                rows: register.risks.map { risk in
                    [.text(risk.level, shading: DOCXBlocks.fill(ofLevel: risk.level)), .text("\(risk.score)"), .text("\(risk.likelihood)"),
                     .text("\(risk.impact)"), .runs([.plain(risk.title)] + (risk.conflicted ? [DOCXBlocks.conflict] : [])),
                     .text(risk.owner), .text(risk.treatment), .text(risk.status),
                     Table.Cell(risk.requirements.map { [Run(text: $0, small: true)] })]
                })))
        }
        blocks += DOCXBlocks.kpis(register.kpis)
        return WordDocument(title: title, control: register.document, sections: [.init(orientation: .portrait, blocks: blocks)])
    }

    // MARK: Documents

    /// A report's document: the title block, then its blocks, in one section of its orientation.
    static func draw(_ document: ReportDocument) throws -> Data { try DOCXPackage.data(wordDocument(document)) }

    static func wordDocument(_ document: ReportDocument) -> WordDocument {
        let blocks = [DOCXBlocks.titleBlock(document.title, subtitle: document.reference?.subtitle, document.control)] + document.blocks.flatMap { Self.blocks($0, document.control) }
        return WordDocument(title: document.title, control: document.control,
                            sections: [.init(orientation: document.orientation == .landscape ? .landscape : .portrait, blocks: blocks)])
    }

    static func blocks(_ block: ReportDocument.Block, _ control: DocumentControl) -> [WordDocument.Block] {
        switch block {
        case .heading(let level, let text): [.heading(level: level, text: text)]
        case .paragraph(let spans): [.paragraph(runs(spans))]
        case .keyFigures(let figures): [.heading(level: 1, text: figures.wordHeading), .table(DOCXBlocks.facts(figures.rows, width: figures.wordWidth))]
        case .chart: []
        case .table(let table) where table.rows.isEmpty && table.whenEmpty != nil: [.paragraph([.plain(table.whenEmpty ?? "")])]
        case .table(let table):
            [.table(Table(columns: table.drawn(in: .word).columns.map { Table.Column($0.title, $0.weight, alignment($0.alignment)) },
                          rows: table.drawn(in: .word).rows.map { $0.map(cell) }))]
        case .signatureBlock(let statement):
            [.signatureBlock(statement: statement, preparedBy: DOCXBlocks.assessors(control), approvedBy: control.approvedBy)]
        case .only(let media, let block): media.contains(.word) ? blocks(block, control) : []
        }
    }

    static func cell(_ cell: ReportDocument.Table.Cell) -> Table.Cell {
        Table.Cell(cell.paragraphs(in: .word).map { runs($0).map { run in var run = run; run.small = run.small || cell.small; return run } })
    }

    static func alignment(_ alignment: ReportDocument.Table.Alignment) -> Table.Alignment {
        switch alignment {
        case .left: .left
        case .center: .center
        case .right: .right
        }
    }

    static func runs(_ spans: [ReportDocument.Span]) -> [Run] {
        spans.filter { $0.drawn(in: .word) }.map { span in
            switch span.role {
            case .plain, .verbatim: .plain(span.text)
            case .lead: .bold(span.text)
            case .small: Run(text: span.text, small: true)
            case .status(let colour): Run(text: span.text, colour: DOCXBlocks.colour(of: colour))
            case .conflict: DOCXBlocks.conflict
            case .alert: Run(text: " " + span.text, bold: true, colour: "A4161A")
            case .aside: Run(text: " " + span.text, small: true)
            case .bar: Run(text: span.text, colour: "2F6FD6")
            case .qualifier: Run(text: " (\(span.text))", colour: DOCXBlocks.colour(of: span.text))
            }
        }
    }
}

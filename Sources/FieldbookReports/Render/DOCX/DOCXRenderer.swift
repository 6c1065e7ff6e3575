import FieldbookModel
import Foundation

/// Word documents: a report's `ReportDocument` drawn as a `WordDocument` (title block first),
/// packaged by `DOCXPackage`. The gap report, not yet a `ReportDocument`, is built in
/// `DOCXRenderer+Gap.swift`.
enum DOCXRenderer {
    static func gap(_ report: GapReport) throws -> Data { try DOCXPackage.data(gapDocument(report)) }

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
        case .chart(.burnUp): []
        case .chart(.heatMap(let grid)): heatMap(grid)
        case .kpis(let figures): DOCXBlocks.kpis(figures)
        case .table(let table) where table.rows.isEmpty && table.whenEmpty != nil && table.whenEmptyIn.contains(.word): [.paragraph([.plain(table.whenEmpty ?? "")])]
        case .table(let table):
            [.table(Table(columns: table.drawn(in: .word).columns.map { Table.Column($0.title, $0.weight, alignment($0.alignment)) },
                          rows: table.drawn(in: .word).rows.map { $0.map(cell) }))]
        case .signatureBlock(let statement):
            [.signatureBlock(statement: statement, preparedBy: DOCXBlocks.assessors(control), approvedBy: control.approvedBy)]
        case .only(let media, let block): media.contains(.word) ? blocks(block, control) : []
        }
    }

    static func cell(_ cell: ReportDocument.Table.Cell) -> Table.Cell {
        Table.Cell(cell.paragraphs(in: .word).map { runs($0).map { run in var run = run; run.small = run.small || cell.small; return run } },
                   shading: cell.riskLevel.flatMap(DOCXBlocks.fill(ofLevel:)))
    }

    /// The heat map: likelihood rises upwards, impact to the right, as in the HTML heat map; then the legend and a note.
    static func heatMap(_ heatMap: [[Int]]) -> [WordDocument.Block] {
        var grid = Table(columns: [Table.Column("likelihood \\ impact", 5, .center)] + (1...5).map { Table.Column("\($0)", 2, .center) },
                         rows: [], width: 0.6, shadeFirstColumn: true, rowHeight: 520)
        for likelihood in (1...5).reversed() {
            let counts = heatMap.indices.contains(likelihood - 1) ? heatMap[likelihood - 1] : []
            grid.rows.append([.runs([.bold("\(likelihood)")])] + (1...5).map { impact in
                let count = counts.indices.contains(impact - 1) ? counts[impact - 1] : 0
                let level = RiskRating(likelihood: likelihood, impact: impact).level.rawValue
                return .runs(count == 0 ? [] : [.bold("\(count)")], shading: DOCXBlocks.fill(ofLevel: level))
            })
        }
        let legend = [("low", "1–4"), ("medium", "5–9"), ("high", "10–16"), ("critical", "20–25")]
        return [.table(grid),
                .table(Table(columns: legend.map { Table.Column($0.0, 1, .center) },
                             rows: [legend.map { .text("\($0.0) \($0.1)", shading: DOCXBlocks.fill(ofLevel: $0.0)) }], width: 0.6, hasHeader: false)),
                .paragraph([.plain("Each cell counts the risks at that likelihood and impact (1 to 5); the colour is the level their product falls in.")],
                           style: .note)]
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

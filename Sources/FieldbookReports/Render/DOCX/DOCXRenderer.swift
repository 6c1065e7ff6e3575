import FieldbookModel
import Foundation

/// Word documents: a report's `ReportDocument` drawn as a `WordDocument` (title block first),
/// packaged by `DOCXPackage`.
enum DOCXRenderer {
    /// A report's document: the title block, then its blocks, in a section of its orientation
    /// and one more at each `section` block.
    static func draw(_ document: ReportDocument) throws -> Data { try DOCXPackage.data(wordDocument(document)) }

    static func wordDocument(_ document: ReportDocument) -> WordDocument {
        let subtitle = [document.subject, document.reference?.subtitle].compactMap { $0 }
        var sections = [WordDocument.Section(orientation: orientation(document.orientation), blocks: [
            DOCXBlocks.titleBlock(document.title, subtitle: subtitle.isEmpty ? nil : subtitle.joined(separator: " — "), document.control),
        ])]
        for block in document.blocks {
            if case .section(let turn) = block {
                sections.append(.init(orientation: orientation(turn), blocks: []))
            } else {
                sections[sections.count - 1].blocks += blocks(block, document.control)
            }
        }
        return WordDocument(title: document.title, control: document.control, sections: sections)
    }

    static func orientation(_ orientation: ReportDocument.Orientation) -> WordDocument.Orientation {
        orientation == .landscape ? .landscape : .portrait
    }

    static func blocks(_ block: ReportDocument.Block, _ control: DocumentControl) -> [WordDocument.Block] {
        switch block {
        case .heading(let level, let text): [.heading(level: level, text: text)]
        case .paragraph(let spans): [.paragraph(runs(spans))]
        case .keyFigures(let figures): [.heading(level: 1, text: figures.wordHeading), .table(DOCXBlocks.facts(figures.rows, width: figures.wordWidth))]
        case .chart(.burnUp): []
        case .chart(.heatMap(let grid, _)): heatMap(grid)
        case .kpis(let figures): DOCXBlocks.kpis(figures)
        case .table(let table) where table.rows.isEmpty && table.whenEmpty != nil && table.whenEmptyIn.contains(.word): [.paragraph([.plain(table.whenEmpty ?? "")])]
        case .table(let table):
            [.table(Table(columns: table.drawn(in: .word).columns.map { Table.Column($0.title(in: .word), $0.weight, alignment($0.alignment)) },
                          rows: table.drawn(in: .word).rows.map { row in row.cells.map { cell($0, inferred: row.inferred) } }))]
        case .signatureBlock(let statement):
            [.signatureBlock(statement: statement, preparedBy: DOCXBlocks.assessors(control), approvedBy: control.approvedBy)]
        case .only(let media, let block): media.contains(.word) ? blocks(block, control) : []
        case .list(let items):
            items.flatMap { item in item.enumerated().map { .paragraph([.plain($0.offset == 0 ? "• " : "  ")] + runs($0.element)) } }
        case .section: []
        }
    }

    /// The shade of a row the report infers rather than records.
    static let inferredFill = "F4F5F9"

    /// A cell: its paragraphs, then its list items as further paragraphs. In an inferred row it is
    /// shaded and its text in small italics (a run without text stays bare, as Word had it).
    static func cell(_ cell: ReportDocument.Table.Cell, inferred: Bool) -> Table.Cell {
        let paragraphs = (cell.paragraphs(in: .word) + cell.list(in: .word)).map { runs($0).map { run in
            var run = run
            run.small = run.small || cell.small
            if inferred, !run.text.isEmpty { run.italic = true; run.small = true }
            return run
        } }
        return Table.Cell(paragraphs, shading: inferred ? inferredFill : cell.riskLevel.flatMap(DOCXBlocks.fill(ofLevel:)), span: cell.span,
                          indent: (cell.depth ?? 0) * 227)
    }

    /// The heat map: likelihood rises upwards, impact to the right, as in the HTML heat map; then the legend and a note.
    static func heatMap(_ heatMap: [[Int]]) -> [WordDocument.Block] {
        var grid = Table(columns: [Table.Column("likelihood \\ impact", 5, .center)] + (1...5).map { Table.Column("\($0)", 2, .center) },
                         rows: [], width: 0.6, shadeFirstColumn: true, rowHeight: 520, keepTogether: true)
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
        spans.filter { $0.drawn(in: .word) }.flatMap { span -> [Run] in
            switch span.role {
            case .plain, .verbatim: [.plain(span.text)]
            case .lead: [.bold(span.text)]
            case .small: [Run(text: span.text, small: true)]
            case .status(let colour): [Run(text: span.text, colour: DOCXBlocks.colour(of: colour))]
            case .conflict: [DOCXBlocks.conflict]
            case .alert: [Run(text: " " + span.text, bold: true, colour: "A4161A")]
            case .aside: [Run(text: " " + span.text, small: true)]
            case .bar: [Run(text: span.text, colour: "2F6FD6")]
            case .qualifier: [Run(text: " (\(span.text))", colour: DOCXBlocks.colour(of: span.text))]
            case .tag: [Run(text: span.text, bold: true, colour: DOCXBlocks.colour(of: span.text))]
            case .finding(let reference): finding(reference)
            }
        }
    }

    /// A finding under a row or group, in small print: severity, title, where its action stands,
    /// and the clause it was raised against when that is not the row itself.
    static func finding(_ finding: GapReport.FindingReference) -> [Run] {
        var runs = [Run(text: "• " + (finding.severity ?? "unrated"), bold: true, small: true, colour: DOCXBlocks.colour(of: finding.severity)),
                    Run(text: " " + finding.title, small: true)]
        var state = " — " + finding.status
        if let owner = finding.owner { state += ", " + owner }
        if let due = finding.due { state += ", due " + due }
        runs.append(Run(text: state, small: true))
        if finding.overdue { runs.append(Run(text: " overdue", bold: true, small: true, colour: "A4161A")) }
        if let via = finding.via { runs.append(Run(text: " (raised against \(via))", italic: true, small: true)) }
        return runs
    }
}

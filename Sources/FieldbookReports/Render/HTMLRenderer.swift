import Foundation
import Mustache

/// Self-contained HTML: inline CSS, inline SVG charts, no scripts, no external assets,
/// readable when printed. A `ReportDocument` is drawn here, inside the `page` and `titleblock`
/// templates (`Templates/*.mustache`, resources), its charts and key figures through the
/// `burnup`, `heatmap` and `kpis` partials; every text from the workspace is escaped, here as
/// Mustache escapes `{{value}}`.
enum HTMLRenderer {
    /// A report's document: the page around its heading, subtitle, title block and blocks.
    static func draw(_ document: ReportDocument) throws -> String {
        let control = document.control
        guard let titleBlock = try templates.get().render(control, withTemplate: "titleblock") else {
            throw ReportTemplateError(template: "titleblock", reason: "it is missing from this installation")
        }
        let sub = control.engagement + (document.reference.map { " — " + $0.subtitle } ?? "")
        let body = "<h1>\(escape(document.heading))</h1>\n<p class=\"sub\">\(escape(sub))</p>\n" + titleBlock + (try document.blocks.map { try draw($0, control) }.joined())
        return try render("document", DocumentPage(report: .init(document: control), title: document.pageTitle ?? document.heading, body: String(body.dropLast())))
    }

    /// What `document.mustache` reads: `report.document` for the page's draft mark, the title and the drawn body.
    struct DocumentPage {
        struct Report { let document: DocumentControl }
        let report: Report
        let title: String
        let body: String
    }

    static func draw(_ block: ReportDocument.Block, _ control: DocumentControl) throws -> String {
        switch block {
        case .heading(let level, let text): "<h\(level + 1)>\(escape(text))</h\(level + 1)>\n"
        case .paragraph(let spans): "<p>\(line(spans))</p>\n"
        case .keyFigures(let figures):
            "<div class=\"cards\">" + figures.cards.map { cards in
                cards.map { "<div class=\"card\">\(escape($0.label))<b\($0.alert ? " class=\"overdue\"" : "")>\(escape($0.value))</b>\(escape($0.detail ?? ""))</div>" }.joined()
            }.joined(separator: "\n") + "</div>\n"
        case .table(let table): draw(table)
        case .chart(.burnUp(let report)): try render("burnup", BurnUp(report))
        case .chart(.heatMap(let grid, let title)): try render("heatmap", HeatMap(grid, title: title))
        case .kpis(let figures): try render("kpis", KPIsView(figures))
        case .signatureBlock:
            "<table class=\"signature\"><tbody>\n"
                + "<tr><th scope=\"row\">Prepared by</th><td>\(escape(control.assessors.joined(separator: ", ")))</td><th scope=\"row\">Date</th><td>\(escape(control.generated))</td></tr>\n"
                + "<tr><th scope=\"row\">Approved by</th><td>\(escape(control.approvedBy ?? ""))</td><th scope=\"row\">Date</th><td></td></tr>\n"
                + "<tr><th scope=\"row\">Signature</th><td></td><th scope=\"row\">Version</th><td>\(escape(control.version)) (\(control.status.rawValue))</td></tr>\n"
                + "</tbody></table>\n"
        case .only(let media, let block): media.contains(.html) ? try draw(block, control) : ""
        case .list(let items): "<ul>\n" + items.map { "<li>" + $0.map(line).joined(separator: "<br>") + "</li>\n" }.joined() + "</ul>\n"
        case .section: ""
        }
    }

    static func draw(_ table: ReportDocument.Table) -> String {
        if table.rows.isEmpty, let empty = table.whenEmpty, table.whenEmptyIn.contains(.html) { return "<p>\(escape(empty))</p>\n" }
        let (columns, rows) = table.drawn(in: .html)
        let head = "<table><thead><tr>" + columns.map { "<th>\(escape($0.title(in: .html)))</th>" }.joined() + "</tr></thead><tbody>\n"
        let body = rows.map { row in (row.inferred ? "<tr class=\"inferred\">" : "<tr>") + row.cells.map(draw).joined() + "</tr>\n" }.joined()
        let drawn = head + body + "</tbody></table>\n"
        return table.htmlSpaced ? "\n" + drawn + "\n" : drawn
    }

    /// A cell: its paragraphs, then its list (each item on a line of its own, as the gap
    /// report's template wrote it).
    static func draw(_ cell: ReportDocument.Table.Cell) -> String {
        let content = cell.paragraphs(in: .html).map(line).joined(separator: cell.htmlSeparator)
        let items = cell.list(in: .html)
        let list = items.isEmpty ? "" : "<ul class=\"findings\">" + items.map { "<li>\(line($0))</li>\n" }.joined() + "</ul>"
        var attributes = cell.htmlClass.map { " class=\"\(escape($0))\"" } ?? ""
        if cell.span > 1 { attributes += " colspan=\"\(cell.span)\"" }
        if let depth = cell.depth { attributes += " style=\"padding-left:\(0.45 + Double(depth) * 1.4)rem\"" }
        return "<td\(attributes)>" + (cell.small ? "<small>\(content)</small>" : content) + list + "</td>"
    }

    /// A finding: `major Title — open, owner, due 2027-02-28 overdue (raised against 9.2)`.
    static func finding(_ finding: GapReport.FindingReference) -> String {
        "<span class=\"\(escape(finding.severity ?? ""))\">\(escape(finding.severity ?? "unrated"))</span> \(escape(finding.title)) — \(escape(finding.status))"
            + (finding.owner.map { ", " + escape($0) } ?? "") + (finding.due.map { ", due " + escape($0) } ?? "")
            + (finding.overdue ? " <span class=\"overdue\">overdue</span>" : "")
            + (finding.via.map { " <small>(raised against \(escape($0)))</small>" } ?? "")
    }

    static func line(_ spans: [ReportDocument.Span]) -> String {
        spans.filter { $0.drawn(in: .html) }.map { span in
            switch span.role {
            case .plain, .verbatim, .lead, .status, .bar: escape(span.text)
            case .small: "<small>\(escape(span.text))</small>"
            case .conflict: " <span class=\"tag\">\(escape(span.text))</span>"
            case .alert: " <span class=\"overdue\">\(escape(span.text))</span>"
            case .aside: " <small>\(escape(span.text))</small>"
            case .qualifier: " <span class=\"\(escape(span.text))\">(\(escape(span.text)))</span>"
            case .tag: "<span class=\"tag\">\(escape(span.text))</span>"
            case .finding(let reference): finding(reference)
            }
        }.joined()
    }

    /// Text as Mustache's `{{value}}` escapes it (character by character, as Mustache does).
    static func escape(_ text: String) -> String {
        text.reduce(into: "") { escaped, character in escaped += escapes[character] ?? String(character) }
    }

    static let escapes: [Character: String] = ["<": "&lt;", ">": "&gt;", "&": "&amp;", "\"": "&quot;", "'": "&#39;"]

    static func render(_ template: String, _ page: Any) throws(ReportTemplateError) -> String {
        guard let html = try templates.get().render(page, withTemplate: template) else {
            throw ReportTemplateError(template: template, reason: "it is missing from this installation")
        }
        return html
    }

    /// Every template, read and parsed once per process.
    static let templates: Result<MustacheLibrary, ReportTemplateError> = Result { () throws(ReportTemplateError) -> MustacheLibrary in
        guard let folder = Bundle.module.url(forResource: "Templates", withExtension: nil),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            throw ReportTemplateError(template: "Templates", reason: "the report templates are missing from this installation")
        }
        var library = MustacheLibrary()
        for file in names where file.hasSuffix(".mustache") {
            let name = String(file.dropLast(".mustache".count))
            do {
                try library.register(String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8), named: name)
            } catch {
                throw ReportTemplateError(template: name, reason: "\(error)")
            }
        }
        return library
    }
}

/// An HTML template that is missing or does not parse: a broken installation, not bad input.
public struct ReportTemplateError: Error, CustomStringConvertible {
    public let template: String
    public let reason: String

    public var description: String { "The HTML report template '\(template)' cannot be used: \(reason)." }
}

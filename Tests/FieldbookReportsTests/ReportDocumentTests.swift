@testable import FieldbookReports
import Foundation
import Testing

/// One document, drawn by every renderer: what a block limited to some media, a column Word
/// alone shows and an empty table come out as.
struct ReportDocumentTests {
    static let control = DocumentControl(engagement: "Acme <AI> | review", engagementID: "e", scope: nil, assessors: ["Ana"],
                                         generated: "2026-01-01", version: "1.abcdef01")

    static func document(rows: [[ReportDocument.Table.Cell]]) -> ReportDocument {
        let table = ReportDocument.Table(
            columns: [.init(title: "item", weight: 3), .init(title: "weight", weight: 1, alignment: .right, media: [.word])],
            rows: rows.map { .init($0) }, whenEmpty: "Nothing yet.")
        return ReportDocument(title: "Example", reference: .init(clause: "ISO/IEC 42001:2023, 9.2", topic: "internal audit"),
                              control: control, orientation: .portrait,
                              blocks: [.only([.word], .heading(level: 1, text: "Items")), .table(table)],
                              data: .init(header: ["item", "note"], rows: [["=sum", nil]]))
    }

    @Test("Markdown escapes workspace text, leaves out Word's column and heading, and says the empty table's sentence")
    func markdown() {
        let filled = MarkdownRenderer.draw(Self.document(rows: [[.spans([.plain("a|b"), .conflict]), .text("3")]]))
        #expect(filled.hasPrefix("# Example (ISO/IEC 42001:2023, 9.2)\n\n| | |\n"))
        #expect(filled.hasSuffix("| Status | **DRAFT** |\n\n| item |\n|---|\n| a\\|b (conflict) |\n"))
        #expect(!filled.contains("Items"))
        #expect(MarkdownRenderer.draw(Self.document(rows: [])).hasSuffix("| Status | **DRAFT** |\n\nNothing yet.\n"))
    }

    @Test("HTML escapes as Mustache does and draws the page around the body")
    func html() throws {
        let page = try HTMLRenderer.draw(Self.document(rows: [[.spans([.plain("O'Neil <x>"), .conflict]), .text("3")]]))
        #expect(page.hasPrefix("<!DOCTYPE html>\n") && page.hasSuffix("</tbody></table>\n</body></html>\n"))
        #expect(page.contains("<title>Example</title>"))
        #expect(page.contains("<p class=\"sub\">Acme &lt;AI&gt; | review — ISO/IEC 42001:2023, 9.2 internal audit</p>"))
        #expect(page.contains("<tr><td>O&#39;Neil &lt;x&gt; <span class=\"tag\">conflict</span></td></tr>"))
        #expect(!page.contains("<th>weight</th>") && !page.contains("<h2>Items</h2>"))
    }

    @Test("CSV carries the data table, formulas defused")
    func csv() {
        #expect(CSVRenderer.draw(Self.document(rows: [])) == "item,note\r\n\"'=sum\",\r\n")
    }

    @Test("Word gets the title block, its own heading and column, and the empty table's sentence")
    func word() {
        let filled = DOCXRenderer.wordDocument(Self.document(rows: [[.text("a"), .text("3")]]))
        #expect(filled.sections.map(\.orientation) == [.portrait])
        let blocks = filled.sections[0].blocks
        #expect(blocks.count == 3)
        guard case .heading(1, "Items") = blocks[1], case .table(let table) = blocks[2] else {
            Issue.record("expected the heading and the table, got \(blocks)")
            return
        }
        #expect(table.columns.map(\.title) == ["item", "weight"])
        guard case .paragraph(let runs, _) = DOCXRenderer.wordDocument(Self.document(rows: [])).sections[0].blocks[2] else {
            Issue.record("expected the empty table's sentence")
            return
        }
        #expect(runs.map(\.text) == ["Nothing yet."])
    }
}

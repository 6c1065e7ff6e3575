@testable import FieldbookReports
import FieldbookModel
import FieldbookStore
import Foundation
import Testing
import ZIPFoundation

/// The spreadsheet writer and reader of the client's request list (issue 30), on their own:
/// what the writer puts in (locked and open columns, protection, the status list), and what
/// the reader takes from packages written the ways other programs write them (shared and
/// inline strings, rich text, day-number dates, formulas), and what it refuses.
struct XLSXTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("fb-xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// A package of the given parts, as another program would have zipped them.
    private func package(_ name: String, _ parts: [String: String], method: CompressionMethod = .deflate) throws -> URL {
        let url = folder.appendingPathComponent(name)
        let archive = try Archive(url: url, accessMode: .create)
        for (path, xml) in parts.sorted(by: { $0.key < $1.key }) {
            let bytes = Data(xml.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: method) { position, size in
                bytes.subdata(in: Int(position)..<min(Int(position) + size, bytes.count))
            }
        }
        return url
    }

    static let workbook = #"<?xml version="1.0"?><x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheets><x:sheet name="Notes" sheetId="2" r:id="rId2"/><x:sheet name="Requests" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>"#
    static let relationships = #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="/xl/worksheets/requests.xml"/><Relationship Id="rId2" Type="worksheet" Target="worksheets/notes.xml"/></Relationships>"#

    @Test("the writer's sheet reads back: inline strings, a date as a day number, open and locked columns, protection, the status list")
    func roundTrip() throws {
        let workbook = XLSXWorkbook(sheetName: "Requests", columns: RequestSheet.columns, rows: [
            [.text("0193a000-0000-7000-8000-0000000000e1"), .text("AI policy & \"signed\" <copy>\nwith annex"), .text("iso42001:5.2"),
             .date("2026-03-31"), .text("requested"), .empty, .empty],
        ])
        let url = folder.appendingPathComponent("requests.xlsx")
        try workbook.data(dated: "2026-12-07").write(to: url)
        let sheet = try XLSXReader.read(url, preferring: "Requests")
        #expect(sheet.name == "Requests")
        #expect(sheet.cells[1]?[6]?.text == "client comment")
        #expect(sheet.cells[2]?[2]?.text == "AI policy & \"signed\" <copy>\nwith annex")
        #expect(sheet.cells[2]?[4]?.text == "2026-03-31", "a date cell reads as its date")
        #expect(sheet.cells[2]?[6] == nil, "an open empty cell holds nothing")
        let xml = workbook.worksheet
        #expect(xml.contains(#"<sheetProtection sheet="1""#))
        #expect(xml.contains(#"<formula1>"requested,received,accepted,rejected,cancelled"</formula1>"#))
        #expect(xml.contains(#"sqref="E2:E202""#))
        // Two writes of one list on one day are the same bytes.
        #expect(try workbook.data(dated: "2026-12-07") == workbook.data(dated: "2026-12-07"))
    }

    @Test("shared strings with rich text, a prefixed namespace, a sheet chosen by name, numbers and dates under custom formats")
    func otherWriters() throws {
        let url = try package("lo.xlsx", [
            "xl/workbook.xml": Self.workbook,
            "xl/_rels/workbook.xml.rels": Self.relationships,
            "xl/sharedStrings.xml": #"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>id</t></si><si><r><t>Sent </t></r><r><rPr><b/></rPr><t xml:space="preserve">twice &amp; "late"</t></r><rPh><t>ignored</t></rPh></si><si/></sst>"#,
            "xl/styles.xml": #"<styleSheet><numFmts><numFmt numFmtId="165" formatCode="[Red]dd/mm/yyyy"/><numFmt numFmtId="166" formatCode="&quot;d&quot;0.00"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="165"/><xf numFmtId="166"/></cellXfs></styleSheet>"#,
            "xl/worksheets/requests.xml": #"<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" s="1"><v>46112</v></c><c r="C3" s="2"><v>46112.5</v></c><c r="D3" s="3"><v>42</v></c><c r="E3"><v>1.5</v></c><c r="F3" t="str"><f>A1&amp;"x"</f><v>idx</v></c><c r="G3" t="b"><v>1</v></c><c r="H3" t="s"><v>2</v></c></row><row><c t="inlineStr"><is><t>next</t></is></c></row></sheetData></worksheet>"#,
            "xl/worksheets/notes.xml": #"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>wrong sheet</t></is></c></row></sheetData></worksheet>"#,
        ])
        let sheet = try XLSXReader.read(url, preferring: "Requests")
        #expect(sheet.name == "Requests")
        let row = try #require(sheet.cells[3])
        #expect(row[1]?.text == "Sent twice & \"late\"")
        #expect(row[2]?.text == "2026-03-31" && row[3]?.text == "2026-03-31", "built-in and custom date formats")
        #expect(row[4]?.text == "42" && row[5]?.text == "1.5", "a quoted 'd' is no date; whole numbers read without '.0'")
        #expect(row[6] == XLSXCell(text: "idx", isFormula: true))
        #expect(row[7]?.text == "TRUE" && row[8] == nil)
        #expect(sheet.cells[4]?[1]?.text == "next", "rows and cells without references follow on")
    }

    @Test("a zip bomb is refused before it inflates past the limit; a document type and a non-ZIP are refused")
    func hostile() throws {
        let bomb = try package("bomb.xlsx", [
            "xl/workbook.xml": Self.workbook, "xl/_rels/workbook.xml.rels": Self.relationships,
            "xl/worksheets/requests.xml": "<worksheet>" + String(repeating: " ", count: XLSXReader.partLimit + 1) + "</worksheet>",
        ])
        #expect(try FileManager.default.attributesOfItem(atPath: bomb.path)[.size] as? Int ?? 0 < 1 << 20, "small on disk")
        #expect(throws: StoreError.self) { try XLSXReader.read(bomb, preferring: "Requests") }
        let entity = try package("entity.xlsx", [
            "xl/workbook.xml": #"<!DOCTYPE x [<!ENTITY a "aaaa">]><workbook><sheets><sheet name="Requests" r:id="rId1"/></sheets></workbook>"#,
        ])
        #expect(throws: StoreError.self) { try XLSXReader.read(entity, preferring: "Requests") }
        let text = folder.appendingPathComponent("plain.xlsx")
        try Data("id,status\n".utf8).write(to: text)
        #expect(throws: StoreError.self) { try XLSXReader.read(text, preferring: "Requests") }
    }

    @Test("the client's answers: columns found by heading, sorted rows matched by id, blank rows skipped, rows without an id noted, formulas refused")
    func answers() throws {
        func cell(_ text: String, formula: Bool = false) -> XLSXCell { XLSXCell(text: text, isFormula: formula) }
        var cells: [Int: [Int: XLSXCell]] = [
            2: [1: cell("file names"), 2: cell("Status"), 3: cell("ID"), 4: cell("client comment")],
            4: [3: cell("0193b"), 2: cell("Received "), 1: cell("a.pdf; b.pdf\nc.pdf")],
            5: [2: cell("   ")],
            7: [4: cell("A row the client added")],
            9: [3: cell("0193a"), 4: cell("Line one\r\nline \"two\"")],
        ]
        let read = try RequestSheet.answers(cells, sheet: "sheet 'Requests'")
        #expect(read.answers.map(\.request) == ["0193b", "0193a"])
        #expect(read.answers[0].status == "Received" && read.answers[0].files == ["a.pdf", "b.pdf", "c.pdf"])
        #expect(read.answers[0].filesCell.place == "Sheet 'Requests', row 4, column A (file names)")
        #expect(read.answers[1].comment == "Line one\nline \"two\"" && read.answers[1].status == nil)
        #expect(read.ignored == ["Sheet 'Requests', row 7 has no request id; ignored (a new request is added in Fieldbook: fieldbook request add)."])
        cells[9]?[4] = cell("=HYPERLINK(\"http://x\")", formula: true)
        do {
            _ = try RequestSheet.answers(cells, sheet: "sheet 'Requests'")
            Issue.record("a formula was read as a comment")
        } catch let error as StoreError {
            #expect(error.description == "Sheet 'Requests', row 9, column D (client comment) holds a formula; type the value itself.")
        }
        cells[2]?[2] = cell("state")
        #expect(throws: StoreError.self) { try RequestSheet.answers(cells, sheet: "sheet 'Requests'") }
    }

    @Test("CSV: quoted commas, quotes and line breaks; the reports' escape of formula-like text undone; a bare formula marked")
    func csv() throws {
        let url = folder.appendingPathComponent("requests.csv")
        try Data("\u{FEFF}id,status,client comment,file names\r\n0193a,received,\"Sent, \"\"twice\"\"\nlate\",\"'=not a formula\"\r\n\r\n0193b,,=1+1,\r\n".utf8).write(to: url)
        let sheet = try CSVTable.read(url)
        #expect(sheet.cells[2]?[3]?.text == "Sent, \"twice\"\nlate")
        #expect(sheet.cells[2]?[4] == XLSXCell(text: "=not a formula", isFormula: false))
        #expect(sheet.cells[3] == nil)
        #expect(sheet.cells[4]?[3] == XLSXCell(text: "=1+1", isFormula: true))
    }
}

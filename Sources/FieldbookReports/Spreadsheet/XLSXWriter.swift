import Foundation
import ZIPFoundation

/// A one-sheet workbook to hand to someone who fills some of it in: a bold header row kept in
/// view, columns locked or open to typing, lists of allowed values, and the sheet protected
/// (no password) so only the open columns take typing. Written with inline strings and the few
/// parts every reader needs, deterministic like the Word reports (`DOCXPackage`): parts in a
/// fixed order, each dated at midnight UTC of the day given.
public struct XLSXWorkbook: Sendable {
    public struct Column: Sendable {
        public let heading: String
        /// Width in characters.
        public let width: Int
        /// Whether the person filling it in may type here.
        public let editable: Bool
        /// The values a cell may hold (a drop-down list), when the column is a closed choice.
        public let choices: [String]?

        public init(heading: String, width: Int, editable: Bool = false, choices: [String]? = nil) {
            self.heading = heading
            self.width = width
            self.editable = editable
            self.choices = choices
        }
    }

    public enum Value: Sendable, Equatable {
        case text(String)
        /// A `YYYY-MM-DD` date, stored as a day number under a date format.
        case date(String)
        case empty
    }

    public let sheetName: String
    public let columns: [Column]
    public let rows: [[Value]]
    /// Rows left open below the data for the client's additions (validated, unlocked).
    public let spareRows: Int

    public init(sheetName: String, columns: [Column], rows: [[Value]], spareRows: Int = 200) {
        self.sheetName = sheetName
        self.columns = columns
        self.rows = rows
        self.spareRows = spareRows
    }

    /// Cell formats (`cellXfs`): 0 locked, 1 locked bold heading, 2 locked date, 3 open with wrapping.
    enum Style: Int { case locked = 0, heading, date, open }

    public func data(dated day: String) throws -> Data {
        let archive = try Archive(accessMode: .create)
        let date = DOCXPackage.modificationDate(day)
        for (path, xml) in parts(created: day) {
            let bytes = Data(xml.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), modificationDate: date,
                                 permissions: 0o644, compressionMethod: .deflate) { position, size in
                bytes.subdata(in: Int(position)..<min(Int(position) + size, bytes.count))
            }
        }
        guard let data = archive.data else { throw DOCXError.noArchive }
        return data
    }

    func parts(created day: String) -> [(String, String)] {
        let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        let created = day.count == 10 ? "\(day)T00:00:00Z" : "1980-01-01T00:00:00Z"
        return [
            ("[Content_Types].xml", declaration + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
                + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
                + #"<Default Extension="xml" ContentType="application/xml"/>"#
                + #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
                + #"<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
                + #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
                + #"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#
                + #"<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#
                + "</Types>"),
            ("_rels/.rels", declaration + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
                + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#
                + #"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#
                + #"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>"#
                + "</Relationships>"),
            ("docProps/core.xml", declaration
                + #"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
                + "<dc:title>\(XMLText.escape(sheetName))</dc:title>"
                + "<dcterms:created xsi:type=\"dcterms:W3CDTF\">\(created)</dcterms:created>"
                + "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">\(created)</dcterms:modified></cp:coreProperties>"),
            ("docProps/app.xml", declaration
                + #"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Fieldbook</Application></Properties>"#),
            ("xl/workbook.xml", declaration
                + #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
                + "<sheets><sheet name=\"\(XMLText.escape(sheetName))\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
            ("xl/_rels/workbook.xml.rels", declaration + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
                + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#
                + #"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#
                + "</Relationships>"),
            ("xl/styles.xml", declaration + Self.styles),
            ("xl/worksheets/sheet1.xml", declaration + worksheet),
        ]
    }

    /// Fonts (regular, bold), the two fills every reader expects, one border, and the cell formats
    /// of `Style`; locked is every cell's default, so only the open format says `locked="0"`.
    static let styles = #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        + #"<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/></numFmts>"#
        + #"<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>"#
        + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
        + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
        + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
        + #"<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>"#
        + #"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#
        + #"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment vertical="top"/></xf>"#
        + #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1" applyProtection="1"><alignment vertical="top" wrapText="1"/><protection locked="0"/></xf></cellXfs>"#
        + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#

    var worksheet: String {
        let last = XLSXColumn.letters(columns.count)
        let lastRow = rows.count + 1 + spareRows
        var xml = #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
        xml += "<dimension ref=\"A1:\(last)\(rows.count + 1)\"/>"
        xml += #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#
        xml += #"<sheetFormatPr defaultRowHeight="15"/><cols>"#
        for (index, column) in columns.enumerated() {
            // A whole open column takes typing in rows added below the data too.
            let style = column.editable ? " style=\"\(Style.open.rawValue)\"" : ""
            xml += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(column.width)\"\(style) customWidth=\"1\"/>"
        }
        xml += "</cols><sheetData>"
        xml += row(1, columns.map { .text($0.heading) }, heading: true)
        for (offset, values) in rows.enumerated() { xml += row(offset + 2, values, heading: false) }
        xml += "</sheetData>"
        // Protected without a password: the open columns take typing; formats, sorting and
        // filtering stay allowed (0 = not protected), so a client can sort and filter.
        xml += #"<sheetProtection sheet="1" objects="1" scenarios="1" formatCells="0" formatColumns="0" formatRows="0" sort="0" autoFilter="0"/>"#
        xml += "<autoFilter ref=\"A1:\(last)\(rows.count + 1)\"/>"
        let lists = columns.enumerated().filter { $0.element.choices != nil }
        if !lists.isEmpty {
            xml += "<dataValidations count=\"\(lists.count)\">"
            for (index, column) in lists {
                let letter = XLSXColumn.letters(index + 1)
                let values = column.choices!.joined(separator: ",")
                xml += "<dataValidation type=\"list\" allowBlank=\"1\" showErrorMessage=\"1\" errorTitle=\"\(XMLText.escape(column.heading))\""
                    + " error=\"\(XMLText.escape("Choose one of: " + column.choices!.joined(separator: ", ")))\" sqref=\"\(letter)2:\(letter)\(lastRow)\">"
                    + "<formula1>\"\(XMLText.escape(values))\"</formula1></dataValidation>"
            }
            xml += "</dataValidations>"
        }
        return xml + #"<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>"#
    }

    private func row(_ number: Int, _ values: [Value], heading: Bool) -> String {
        var xml = "<row r=\"\(number)\">"
        for (index, value) in values.enumerated() {
            let reference = "\(XLSXColumn.letters(index + 1))\(number)"
            let style: Style = heading ? .heading : columns[index].editable ? .open : .locked
            switch value {
            case .text(let text):
                xml += "<c r=\"\(reference)\" s=\"\(style.rawValue)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(XMLText.escape(text))</t></is></c>"
            case .date(let date):
                if let serial = XLSXDate.serial(date) {
                    xml += "<c r=\"\(reference)\" s=\"\(heading || columns[index].editable ? style.rawValue : Style.date.rawValue)\"><v>\(serial)</v></c>"
                }
            case .empty:
                if style == .open { xml += "<c r=\"\(reference)\" s=\"\(style.rawValue)\"/>" }
            }
        }
        return xml + "</row>"
    }
}

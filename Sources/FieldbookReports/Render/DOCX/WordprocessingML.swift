/// Writes a `WordDocument` as WordprocessingML (ECMA-376 part 1): the body of
/// `word/document.xml`, and the page header and footer parts. Every text from the workspace
/// goes through `XMLText.escape`; elements come in the order the schema requires, since Word
/// calls a file whose property elements are out of order corrupt.
enum WordprocessingML {
    static let namespaces = #"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#
    static let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"

    /// A4 in twentieths of a point, with 2 cm margins all round.
    enum Page {
        static let short = 11906, long = 16838, margin = 1134, headerDistance = 567

        static func textWidth(_ orientation: WordDocument.Orientation) -> Int {
            (orientation == .portrait ? short : long) - 2 * margin
        }
    }

    /// Fills shared by every table: header row and first column, and the colour of rules.
    enum Colour {
        static let headerFill = "E4E8EE", rule = "C3C9D3", draft = "A4161A", muted = "5A6270"
    }

    // MARK: Parts

    static func document(_ document: WordDocument) -> String {
        var body = ""
        for (index, section) in document.sections.enumerated() {
            for block in section.blocks { body += self.block(block, width: Page.textWidth(section.orientation)) }
            // Every section but the last ends with a paragraph carrying its properties; the last
            // section's properties close the body.
            if index < document.sections.count - 1 {
                body += "<w:p><w:pPr>\(sectionProperties(section.orientation))</w:pPr></w:p>"
            }
        }
        body += sectionProperties(document.sections.last?.orientation ?? .portrait)
        return declaration + "<w:document \(namespaces)><w:body>\(body)</w:body></w:document>"
    }

    /// The page header: "DRAFT" while the document is a draft, then the engagement and title.
    static func header(_ document: WordDocument) -> String {
        var runs = ""
        if document.control.status == .draft {
            runs += run(Run(text: "DRAFT", bold: true, colour: Colour.draft)) + run(.plain("   "))
        }
        runs += run(.plain(document.control.engagement)) + run(Run(text: "  ·  " + document.title, colour: Colour.muted))
        return declaration + "<w:hdr \(namespaces)><w:p><w:pPr><w:pStyle w:val=\"Header\"/></w:pPr>\(runs)</w:p></w:hdr>"
    }

    /// The page footer: the content version, and "Page X of Y" from the PAGE and NUMPAGES fields.
    static func footer(_ document: WordDocument) -> String {
        let runs = run(.plain("Version \(document.control.version)   ·   Page ")) + field("PAGE", placeholder: "1")
            + run(.plain(" of ")) + field("NUMPAGES", placeholder: "1")
        return declaration + "<w:ftr \(namespaces)><w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:jc w:val=\"center\"/></w:pPr>\(runs)</w:p></w:ftr>"
    }

    // MARK: Blocks

    static func block(_ block: WordDocument.Block, width: Int) -> String {
        switch block {
        case let .titleBlock(title, subtitle, fields):
            var xml = paragraph([.plain(title)], style: "Title")
            if let subtitle { xml += paragraph([.plain(subtitle)], style: "Subtitle") }
            let table = Table(columns: [Table.Column("", 1), Table.Column("", 3)],
                              rows: fields.map { [.runs([.bold($0.label)]), .text($0.value)] }, width: 1, hasHeader: false,
                              shadeFirstColumn: true)
            return xml + self.table(table, width: width)
        case let .heading(level, text):
            return paragraph([.plain(text)], style: "Heading\(min(max(level, 1), 3))")
        case let .paragraph(runs, style):
            return paragraph(runs, style: style.rawValue)
        case let .table(table):
            return self.table(table, width: width)
        case let .signatureBlock(statement, preparedBy, approvedBy):
            return paragraph([.plain(statement)], style: "Normal", keepNext: true)
                + signatureBlock(preparedBy: preparedBy, approvedBy: approvedBy, width: width)
        case .pageBreak:
            return #"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#
        }
    }

    static func paragraph(_ runs: [Run], style: String, alignment: Table.Alignment? = nil, keepNext: Bool = false, indent: Int = 0) -> String {
        var properties = "<w:pStyle w:val=\"\(style)\"/>"
        if keepNext { properties += "<w:keepNext/>" }
        if indent > 0 { properties += "<w:ind w:left=\"\(indent)\"/>" }
        if let alignment, alignment != .left { properties += "<w:jc w:val=\"\(alignment.rawValue)\"/>" }
        return "<w:p><w:pPr>\(properties)</w:pPr>\(runs.map(run).joined())</w:p>"
    }

    /// One run; line breaks and tabs in the text become Word's own break and tab elements
    /// (a raw line feed inside `w:t` would show as a space).
    static func run(_ run: Run) -> String {
        var properties = ""
        if run.bold { properties += "<w:b/><w:bCs/>" }
        if run.italic { properties += "<w:i/><w:iCs/>" }
        if let colour = run.colour { properties += "<w:color w:val=\"\(colour)\"/>" }
        if run.small { properties += #"<w:sz w:val="16"/><w:szCs w:val="16"/>"# }
        var content = ""
        let text = run.text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if index > 0 { content += "<w:br/>" }
            for (part, piece) in line.split(separator: "\t", omittingEmptySubsequences: false).enumerated() {
                if part > 0 { content += "<w:tab/>" }
                if !piece.isEmpty { content += "<w:t xml:space=\"preserve\">\(XMLText.escape(String(piece)))</w:t>" }
            }
        }
        return "<w:r>" + (properties.isEmpty ? "" : "<w:rPr>\(properties)</w:rPr>") + content + "</w:r>"
    }

    /// A complex field (PAGE, NUMPAGES) with the text shown until Word or LibreOffice updates it.
    static func field(_ instruction: String, placeholder: String) -> String {
        #"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> "#
            + instruction + #" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>"#
            + placeholder + #"</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#
    }

    static func sectionProperties(_ orientation: WordDocument.Orientation) -> String {
        let size = orientation == .portrait
            ? "<w:pgSz w:w=\"\(Page.short)\" w:h=\"\(Page.long)\"/>"
            : "<w:pgSz w:w=\"\(Page.long)\" w:h=\"\(Page.short)\" w:orient=\"landscape\"/>"
        let m = Page.margin, h = Page.headerDistance
        return "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"\(DOCXPackage.headerRelationship)\"/>"
            + "<w:footerReference w:type=\"default\" r:id=\"\(DOCXPackage.footerRelationship)\"/>" + size
            + "<w:pgMar w:top=\"\(m)\" w:right=\"\(m)\" w:bottom=\"\(m)\" w:left=\"\(m)\" w:header=\"\(h)\" w:footer=\"\(h)\" w:gutter=\"0\"/>"
            + "<w:cols w:space=\"708\"/><w:docGrid w:linePitch=\"360\"/></w:sectPr>"
    }

    // MARK: Tables

    /// Column widths in twips: the weights scaled to the table's share of the text width.
    static func widths(_ columns: [Table.Column], total: Int) -> [Int] {
        let sum = max(columns.map(\.weight).reduce(0, +), 1)
        var widths = columns.map { total * $0.weight / sum }
        if let last = widths.indices.last { widths[last] += total - widths.reduce(0, +) }
        return widths
    }

    /// `header`: whether the first row is a header (Word and LibreOffice style it through `tblLook`).
    static func tableProperties(width: Int, borders: Bool, header: Bool) -> String {
        let rule = borders ? "w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"\(Colour.rule)\"" : "w:val=\"nil\""
        let edges = ["top", "left", "bottom", "right", "insideH", "insideV"].map { "<w:\($0) \(rule)/>" }.joined()
        return "<w:tblPr><w:tblStyle w:val=\"FieldbookTable\"/><w:tblW w:w=\"\(width)\" w:type=\"dxa\"/>"
            + "<w:tblBorders>\(edges)</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
            + #"<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="85" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>"#
            + "<w:tblLook w:val=\"\(header ? "0420" : "0400")\" w:firstRow=\"\(header ? 1 : 0)\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr>"
    }

    /// A table: the header row repeats on every page (`tblHeader`) and no row is split across a
    /// page break (`cantSplit`). A spacer paragraph follows, since two tables in a row would merge.
    static func table(_ table: Table, width textWidth: Int) -> String {
        let widths = widths(table.columns, total: Int(Double(textWidth) * min(max(table.width, 0.1), 1)))
        var xml = "<w:tbl>" + tableProperties(width: widths.reduce(0, +), borders: true, header: table.hasHeader)
            + "<w:tblGrid>" + widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined() + "</w:tblGrid>"
        if table.hasHeader {
            // Column titles a point smaller than the cells, so narrow figure columns keep whole words.
            let header = table.columns.map { Table.Cell([[Run(text: $0.title, bold: true, small: true)]], shading: Colour.headerFill, alignment: $0.alignment) }
            xml += row(header, table: table, widths: widths, header: true)
        }
        for cells in table.rows { xml += row(cells, table: table, widths: widths, header: table.keepTogether ? nil : false) }
        return xml + "</w:tbl>" + #"<w:p><w:pPr><w:pStyle w:val="AfterTable"/></w:pPr></w:p>"#
    }

    /// `header` nil: a body row kept with the next (`keepTogether`), as header rows are.
    static func row(_ cells: [Table.Cell], table: Table, widths: [Int], header isHeader: Bool?) -> String {
        let header = isHeader ?? false, keepNext = isHeader ?? true
        var xml = "<w:tr><w:trPr><w:cantSplit/>" + (header ? "<w:tblHeader/>" : "")
            + (!header ? table.rowHeight.map { "<w:trHeight w:val=\"\($0)\" w:hRule=\"atLeast\"/>" } ?? "" : "") + "</w:trPr>"
        var column = 0
        for cell in cells where column < widths.count {
            let span = min(max(cell.span, 1), widths.count - column)
            let width = widths[column..<(column + span)].reduce(0, +)
            var shading = cell.shading
            if shading == nil, column == 0, table.shadeFirstColumn { shading = Colour.headerFill }
            var properties = "<w:tcW w:w=\"\(width)\" w:type=\"dxa\"/>"
            if span > 1 { properties += "<w:gridSpan w:val=\"\(span)\"/>" }
            if let shading { properties += "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"\(shading)\"/>" }
            if table.rowHeight != nil, !header { properties += #"<w:vAlign w:val="center"/>"# }
            let alignment = cell.alignment ?? table.columns[column].alignment
            let paragraphs = cell.paragraphs.isEmpty ? [[]] : cell.paragraphs
            xml += "<w:tc><w:tcPr>\(properties)</w:tcPr>"
                + paragraphs.map { paragraph($0, style: "TableText", alignment: alignment, keepNext: keepNext, indent: cell.indent) }.joined() + "</w:tc>"
            column += span
        }
        // A short row is padded, so every row fills the grid.
        while column < widths.count {
            xml += "<w:tc><w:tcPr><w:tcW w:w=\"\(widths[column])\" w:type=\"dxa\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableText\"/></w:pPr></w:p></w:tc>"
            column += 1
        }
        return xml + "</w:tr>"
    }

    /// The signature block: labels on the left; on the right the names, and ruled lines to sign
    /// and date on (and to write the approver on, when nobody is named yet). Its paragraphs keep
    /// with the next, so the block never starts at the foot of one page and ends on the next.
    static func signatureBlock(preparedBy: String, approvedBy: String?, width textWidth: Int) -> String {
        let widths = [textWidth * 22 / 100, textWidth * 48 / 100]
        let lines: [(String, String?)] = [("Prepared by", preparedBy), ("Approved by", approvedBy), ("Signature", nil), ("Date", nil)]
        var xml = "<w:tbl>" + tableProperties(width: widths.reduce(0, +), borders: false, header: false)
            + "<w:tblGrid>" + widths.map { "<w:gridCol w:w=\"\($0)\"/>" }.joined() + "</w:tblGrid>"
        for (index, (label, value)) in lines.enumerated() {
            let keep = index < lines.count - 1
            let rule = value == nil ? "<w:tcBorders><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"0\" w:color=\"000000\"/></w:tcBorders>" : ""
            xml += #"<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="680" w:hRule="atLeast"/></w:trPr>"#
                + "<w:tc><w:tcPr><w:tcW w:w=\"\(widths[0])\" w:type=\"dxa\"/><w:vAlign w:val=\"bottom\"/></w:tcPr>"
                + paragraph([.bold(label)], style: "TableText", keepNext: keep) + "</w:tc>"
                + "<w:tc><w:tcPr><w:tcW w:w=\"\(widths[1])\" w:type=\"dxa\"/>\(rule)<w:vAlign w:val=\"bottom\"/></w:tcPr>"
                + paragraph([.plain(value ?? "")], style: "TableText", keepNext: keep) + "</w:tc></w:tr>"
        }
        return xml + "</w:tbl>" + #"<w:p><w:pPr><w:pStyle w:val="AfterTable"/></w:pPr></w:p>"#
    }
}

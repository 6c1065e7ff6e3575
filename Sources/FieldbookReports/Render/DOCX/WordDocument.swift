/// A report as Word sees it, before any XML: sections of blocks (headings, paragraphs,
/// tables, the title and signature blocks). The renderer builds one per report and
/// `WordprocessingML` writes it; neither needs to know about the other's details.
struct WordDocument {
    /// The document's title: its Title paragraph, the header line and `docProps/core.xml`.
    var title: String
    /// The title block's source, and the header's engagement name and draft mark.
    var control: DocumentControl
    var sections: [Section]

    /// A run of pages in one orientation. Wide tables (the gap rows, the SoA, the findings)
    /// sit in landscape sections so their columns stay readable on A4.
    struct Section {
        var orientation: Orientation
        var blocks: [Block]
    }

    enum Orientation { case portrait, landscape }

    enum Block {
        /// The document's title, then its subtitle, then the control fields as a two-column table.
        case titleBlock(title: String, subtitle: String?, fields: [(label: String, value: String)])
        /// `level` 1 to 3; Heading1-3 carry outline levels, so Word's navigation pane shows them.
        case heading(level: Int, text: String)
        case paragraph([Run], style: ParagraphStyle = .body)
        case table(Table)
        /// A statement of what is being signed, then prepared by, approved by (a blank line when
        /// nobody approved yet), signature and date lines, kept together on one page.
        case signatureBlock(statement: String, preparedBy: String, approvedBy: String?)
        case pageBreak
    }

    enum ParagraphStyle: String {
        case body = "Normal", note = "Note"
    }
}

/// A stretch of text with one look.
struct Run {
    var text: String
    var bold = false
    var italic = false
    var small = false
    /// A hex RGB colour (`A4161A`), or nil for the style's.
    var colour: String?

    static func plain(_ text: String) -> Run { Run(text: text) }
    static func bold(_ text: String) -> Run { Run(text: text, bold: true) }
}

/// A table whose header row repeats on every page and whose rows are never split across pages.
struct Table {
    /// A column's title and its share of the table's width (weights, scaled to the text width).
    struct Column {
        var title: String
        var weight: Int
        /// Figures read better right-aligned under their title; text left.
        var alignment: Alignment = .left

        init(_ title: String, _ weight: Int, _ alignment: Alignment = .left) {
            self.title = title
            self.weight = weight
            self.alignment = alignment
        }
    }

    enum Alignment: String { case left, center, right }

    /// One cell: paragraphs of runs, an optional fill, and how many grid columns it spans.
    struct Cell {
        var paragraphs: [[Run]]
        /// A hex RGB fill (`F6B48F`), or nil for none.
        var shading: String?
        var span = 1
        var alignment: Alignment?
        /// Left indent of the cell's paragraphs in twips (nested groups of the gap roll-up).
        var indent = 0

        init(_ paragraphs: [[Run]], shading: String? = nil, span: Int = 1, alignment: Alignment? = nil, indent: Int = 0) {
            self.paragraphs = paragraphs
            self.shading = shading
            self.span = span
            self.alignment = alignment
            self.indent = indent
        }
    }

    var columns: [Column]
    var rows: [[Cell]]
    /// Share of the text width the table takes (small tables such as the heat map need less).
    var width = 1.0
    /// Whether the first row shows the column titles (a key-value table has none).
    var hasHeader = true
    /// Shade the first column like a header (key-value tables, the heat map's likelihood axis).
    var shadeFirstColumn = false
    /// The least height of a body row in twips (the heat map's cells are near square), or nil to fit the text.
    var rowHeight: Int?
    /// Keep the whole table on one page (a chart such as the heat map reads only whole), and
    /// with what follows it (its legend).
    var keepTogether = false
}

extension Table.Cell {
    /// A cell holding one plain text, empty when `text` is nil.
    static func text(_ text: String?, shading: String? = nil) -> Table.Cell {
        Table.Cell([[.plain(text ?? "")]], shading: shading)
    }

    /// A cell of one paragraph of runs.
    static func runs(_ runs: [Run], shading: String? = nil) -> Table.Cell {
        Table.Cell([runs], shading: shading)
    }
}

/// A report as one format-neutral document: a title, the title block (its `DocumentControl`),
/// then blocks (headings, paragraphs, key figures, tables) that the Markdown, HTML and Word
/// renderers draw, and the flat data table CSV carries. Each report builds its document once
/// (`Document/<Report>+Document.swift`); a new format is one renderer over this type.
///
/// Some blocks carry hints that only one medium reads (a column's width in Word, a cell's class
/// in HTML, a shorter wording in Markdown): they keep each format's output as it was before the
/// reports shared one model.
public struct ReportDocument: Sendable {
    /// The document's title: the Markdown and HTML heading, Word's Title paragraph.
    var title: String
    /// What the report is of, when it is drawn once per subject (the gap report's framework):
    /// the Markdown and HTML headings read `title: subject`; Word keeps its title (and page
    /// header) short and makes the subject the subtitle.
    var subject: String?
    /// The HTML page's `<title>`, when it is shorter than the title.
    var pageTitle: String?
    /// The standard clause the report answers, when it answers one.
    var reference: Reference?
    var control: DocumentControl
    /// Word's page orientation; wide registers sit in landscape.
    var orientation: Orientation
    var blocks: [Block]
    /// The rows CSV (and any spreadsheet format) carries: data, not presentation.
    var data: DataTable

    /// The Markdown and HTML heading: the title, then the subject.
    var heading: String { subject.map { "\(title): \($0)" } ?? title }

    /// `ISO/IEC 42001:2023, 10.2` and what the clause is about: the Markdown title ends with the
    /// clause, the HTML and Word subtitles name both.
    struct Reference: Sendable {
        var clause: String
        var topic: String?

        var subtitle: String { clause + (topic.map { " " + $0 } ?? "") }
    }

    enum Orientation: Sendable { case portrait, landscape }

    /// The media drawing blocks; a block or span may be drawn in some only.
    enum Medium: Sendable { case markdown, html, word }

    indirect enum Block: Sendable {
        case heading(level: Int, text: String)
        case paragraph([Span])
        case keyFigures(KeyFigures)
        case table(Table)
        case chart(Chart)
        /// The engagement's key figures (`KPIs`), the same wherever a report shows them.
        case kpis(KPIs)
        /// Prepared by, approved by, signature, date and version lines; Word prints `statement` above them.
        case signatureBlock(statement: String)
        /// A block drawn in some media only (Word's section headings).
        case only(Set<Medium>, Block)
        /// A bulleted list; each item a paragraph, then lines that continue it.
        case list(items: [[[Span]]])
        /// From here on, pages in this orientation: Word starts a new section (the gap report
        /// turns landscape for its requirements). The other media have no pages and draw nothing.
        /// Only at the top level of `blocks`.
        case section(Orientation)
    }

    /// A chart drawn from a report's figures (HTML draws it as SVG; Word shows the figures in a table instead).
    enum Chart: Sendable {
        case burnUp(ProgressReport)
        /// `grid[likelihood - 1][impact - 1]`: how many risks sit in each cell; `title` names
        /// the map for readers who cannot see it (the SVG's title), inherent or residual.
        case heatMap([[Int]], title: String = "Risk heat map: likelihood against impact")
    }

    /// The figures a report leads with. Each medium states them in its own words today: Markdown
    /// in one sentence, HTML as lines of cards, Word as a labelled table under "Summary".
    struct KeyFigures: Sendable {
        var sentence: String
        var cards: [[Card]]
        var rows: [(label: String, value: String)]
        /// Word's heading above the rows, and the share of the width they take.
        var wordHeading = "Summary"
        var wordWidth = 0.55

        struct Card: Sendable {
            var label: String
            var value: String
            var detail: String?
            /// Printed as a warning (overdue counts).
            var alert = false
        }
    }

    struct Table: Sendable {
        struct Column: Sendable {
            var title: String
            /// The column's share of the width in Word.
            var weight: Int
            var alignment: Alignment = .left
            /// Drawn in these media only; nil for all.
            var media: Set<Medium>?
            /// The title in a medium that words it otherwise (the gap report's last column is
            /// "note" in HTML, "note and findings" in Markdown): kept as each format had it.
            var titleIn: [Medium: String] = [:]

            func title(in medium: Medium) -> String { titleIn[medium] ?? title }
        }

        enum Alignment: Sendable { case left, center, right }

        /// One cell: paragraphs of spans.
        struct Cell: Sendable {
            var paragraphs: [[Span]]
            /// The HTML cell's class (a result or severity colours it).
            var htmlClass: String?
            /// How a Markdown cell joins its paragraphs (`<br>`, or `, ` for a list).
            var markdownSeparator = "<br>"
            /// How an HTML cell joins its paragraphs.
            var htmlSeparator = "<br>"
            /// A risk level: Word fills the cell with the level's colour.
            var riskLevel: String?
            /// All of the cell in small print (HTML and Word).
            var small = false
            /// Items listed under the paragraphs, one paragraph each (the findings under a gap
            /// row): HTML draws them as a list (`<ul class="findings">`), Markdown and Word as
            /// further paragraphs.
            var list: [[Span]] = []
            /// How many columns the cell spans.
            var span = 1
            /// How deep the group the row stands for sits (the gap roll-up): HTML pads the cell and
            /// Word indents it, deeper groups further right; nil outside a hierarchy.
            var depth: Int?

            /// The paragraphs a medium draws: a paragraph all of whose spans it leaves out is left out.
            func paragraphs(in medium: Medium) -> [[Span]] { Self.drawn(paragraphs, in: medium) }

            /// The list items a medium draws, left out as paragraphs are.
            func list(in medium: Medium) -> [[Span]] { Self.drawn(list, in: medium) }

            static func drawn(_ paragraphs: [[Span]], in medium: Medium) -> [[Span]] {
                paragraphs.compactMap { spans in
                    let drawn = spans.filter { $0.drawn(in: medium) }
                    return drawn.isEmpty && !spans.isEmpty ? nil : drawn
                }
            }

            static func text(_ text: String?) -> Cell { Cell(paragraphs: [[.plain(text ?? "")]]) }
            static func spans(_ spans: [Span], htmlClass: String? = nil) -> Cell { Cell(paragraphs: [spans], htmlClass: htmlClass) }
        }

        /// One row: its cells, written as an array of them when nothing else is said.
        struct Row: Sendable, ExpressibleByArrayLiteral {
            var cells: [Cell]
            /// A suggestion the report infers rather than records (the crosswalk's, under a gap
            /// row nobody assessed): HTML sets the row apart (class `inferred`), Word shades it and
            /// prints its text in small italics.
            var inferred = false
            /// Drawn in these media only; nil for all.
            var media: Set<Medium>?

            init(_ cells: [Cell], inferred: Bool = false, media: Set<Medium>? = nil) {
                self.cells = cells
                self.inferred = inferred
                self.media = media
            }

            init(arrayLiteral cells: Cell...) { self.init(cells) }
        }

        var columns: [Column]
        var rows: [Row]
        /// Said instead of the table when it has no rows.
        var whenEmpty: String?
        /// The media that say `whenEmpty`; the others draw the empty table.
        var whenEmptyIn: Set<Medium> = [.markdown, .html, .word]
        /// HTML sets the table between blank lines.
        var htmlSpaced = false

        /// The columns a medium draws, and the rows it draws with their cells under them (a cell
        /// spanning columns spans those of them that are drawn).
        func drawn(in medium: Medium) -> (columns: [Column], rows: [Row]) {
            let kept = columns.map { $0.media?.contains(medium) ?? true }
            let rows = rows.filter { $0.media?.contains(medium) ?? true }.map { row in
                var column = 0
                var drawn = row
                drawn.cells = row.cells.compactMap { cell in
                    let covered = kept[min(column, kept.count)..<min(column + cell.span, kept.count)].filter { $0 }.count
                    column += cell.span
                    var cell = cell
                    cell.span = covered
                    return covered > 0 ? cell : nil
                }
                return drawn
            }
            return (columns.indices.filter { kept[$0] }.map { columns[$0] }, rows)
        }
    }

    /// A stretch of text with one role; each medium gives the role its look.
    struct Span: Sendable {
        enum Role: Sendable {
            /// Workspace text: Markdown escapes it.
            case plain
            /// Text the workspace cannot shape (ids, dates, enumerated values): Markdown prints it as it is.
            case verbatim
            /// A cell's lead (Word prints it bold).
            case lead
            /// A line of detail (small in HTML and Word).
            case small
            /// A result, applicability or severity, coloured by its value in Word.
            case status(colour: String)
            /// The mark after a value two assessors disagree on.
            case conflict
            /// A warning after a value (`overdue`).
            case alert
            /// A result in brackets after a value, coloured by the result.
            case qualifier
            /// A bar of blocks for a share (Word prints it in the burn-up's blue).
            case bar
            /// A remark in brackets after a value; Markdown says it shorter.
            case aside(markdown: String)
            /// A mark set in a frame in HTML (`excluded`, `inferred, not assessed`); bold in Word,
            /// coloured by its value.
            case tag
            /// A finding under a row or group, its text the title: each medium words the severity,
            /// status, owner, due date and the clause it was raised against its own way.
            case finding(GapReport.FindingReference)
        }

        var text: String
        var role: Role
        /// Drawn in these media only; nil for all.
        var media: Set<Medium>?

        static func plain(_ text: String, in media: Set<Medium>? = nil) -> Span { Span(text: text, role: .plain, media: media) }
        static func verbatim(_ text: String, in media: Set<Medium>? = nil) -> Span { Span(text: text, role: .verbatim, media: media) }
        static func lead(_ text: String, in media: Set<Medium>? = nil) -> Span { Span(text: text, role: .lead, media: media) }
        static func small(_ text: String, in media: Set<Medium>? = nil) -> Span { Span(text: text, role: .small, media: media) }
        static func status(_ value: String?, fallback: String) -> Span { Span(text: value ?? fallback, role: .status(colour: value ?? fallback)) }
        static let conflict = Span(text: "conflict", role: .conflict)
        static func alert(_ text: String) -> Span { Span(text: text, role: .alert) }
        static func aside(_ text: String, markdown: String) -> Span { Span(text: text, role: .aside(markdown: markdown)) }
        static func tag(_ text: String, in media: Set<Medium>? = nil) -> Span { Span(text: text, role: .tag, media: media) }
        static func finding(_ finding: GapReport.FindingReference, in media: Set<Medium>? = nil) -> Span {
            Span(text: finding.title, role: .finding(finding), media: media)
        }

        func drawn(in medium: Medium) -> Bool { media?.contains(medium) ?? true }
    }

    /// One rectangular table of plain values, its header first.
    struct DataTable: Sendable {
        var header: [String]
        var rows: [[String?]]
    }
}

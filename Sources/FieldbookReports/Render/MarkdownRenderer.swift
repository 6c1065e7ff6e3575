import FieldbookModel

/// Markdown for pasting into a report or reading in a terminal.
enum MarkdownRenderer {
    /// The title block under a report's heading.
    static func titleBlock(_ document: DocumentControl) -> [String] {
        ["| | |", "|---|---|", "| Engagement | \(cell(document.engagement)) |", "| Scope | \(cell(document.scope ?? "not recorded")) |",
         "| Assessors | \(cell(document.assessors.isEmpty ? "none yet" : document.assessors.joined(separator: ", "))) |",
         "| Generated | \(document.generated) |", "| Version | \(document.version) |",
         "| Status | **\(document.status.rawValue.uppercased())**\(document.approvedBy.map { ", approved by \(cell($0))" } ?? "") |", ""]
    }

    /// A finding under a gap row: `major open: Title (owner, due 2026-01-31, overdue)`.
    static func finding(_ finding: GapReport.FindingReference) -> String {
        let details = [finding.owner.map(cell), finding.due.map { "due \($0)" }, finding.overdue ? "**overdue**" : nil,
                       finding.via.map { "raised against \($0)" }].compactMap { $0 }
        return "\(finding.severity ?? "unrated") \(finding.status): \(cell(finding.title))" + (details.isEmpty ? "" : " (\(details.joined(separator: ", ")))")
    }
    /// Workspace text inside a table cell: a `|` would end the cell and a line break the row;
    /// `<`, `>` and `&` are escaped so no text becomes live HTML in a Markdown preview.
    static func cell(_ text: String?) -> String {
        var escaped = ""
        for character in text ?? "" {
            switch character {
            case "|": escaped += "\\|"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "&": escaped += "&amp;"
            case "\n", "\r", "\r\n", "\u{2028}", "\u{2029}": escaped += " "
            default: escaped.append(character)
            }
        }
        return escaped
    }

    static func kpis(_ kpis: KPIs) -> [String] {
        var lines = ["## Key figures", "", "| framework | assessed | compliant | partially | non-compliant | not applicable |", "|---|---|---|---|---|---|"]
        for f in kpis.frameworks {
            lines.append("| \(cell(f.name)) | \(f.assessed)/\(f.requirements) (\(Format.percent(f.assessedPercent))) | \(Format.percent(f.compliantPercent)) | \(Format.percent(f.partiallyCompliantPercent)) | \(Format.percent(f.nonCompliantPercent)) | \(Format.percent(f.notApplicablePercent)) |")
        }
        let c = kpis.crosswalk
        lines += ["", "Crosswalk rows with both ends assessed: \(c.bothAssessed) of \(c.rows); agree \(c.agree) (\(Format.percent(c.agreePercent))), disagree \(c.disagree) (\(Format.percent(c.disagreePercent))).",
                  "Risks: \(kpis.risks.identified) identified, \(kpis.risks.mitigated) mitigated, \(kpis.risks.open) open; by level " + kpis.risks.levelsWorstFirst.map { "\($0.name) \($0.count)" }.joined(separator: ", ")
                    + (kpis.risks.acceptanceSentence.map { "; \($0)" } ?? "") + ".",
                  "Open findings: \(kpis.findings.open) (" + kpis.findings.severitiesWorstFirst.map { "\($0.name) \($0.count)" }.joined(separator: ", ") + "). Evidence files: \(kpis.evidence.files), unverified \(kpis.evidence.unverified)"
                    + (kpis.evidence.staleSentence.map { ", \($0)" } ?? "") + "."]
        if let requests = kpis.requests { lines.append("Evidence requests: \(requests.sentence).") }
        if let fieldwork = kpis.fieldwork { lines.append("Fieldwork: \(fieldwork.sentence).") }
        if !kpis.findings.overdueFindings.isEmpty {
            lines += ["", "### Overdue corrective actions", "", "| finding | due | owner |", "|---|---|---|"]
            lines += kpis.findings.overdueFindings.map { "| \(cell($0.title)) | \($0.due) | \(cell($0.owner)) |" }
        }
        if let overdue = kpis.requests?.overdueRequests, !overdue.isEmpty {
            lines += ["", "### Overdue evidence requests", "", "| request | due | from |", "|---|---|---|"]
            lines += overdue.map { "| \(cell($0.title)) | \($0.due) | \(cell($0.contact)) |" }
        }
        if !c.disagreements.isEmpty {
            lines += ["", "### Where the frameworks' results disagree", "", "| AI RMF | result | ISO/IEC 42001 | result |", "|---|---|---|---|"]
            lines += c.disagreements.map { "| \($0.nistAIRMF) | \($0.nistStatus) | \($0.iso42001) | \($0.isoStatus) |" }
        }
        return lines
    }

    /// A report's document: its heading, title block, then its blocks, a blank line between two.
    static func draw(_ document: ReportDocument) -> String {
        let title = "# " + cell(document.heading) + (document.reference.map { " (\($0.clause))" } ?? "")
        let blocks = document.blocks.compactMap { draw($0, document.control) }.map { $0.joined(separator: "\n") }
        return ([title, ""] + titleBlock(document.control) + [blocks.joined(separator: "\n\n")]).joined(separator: "\n") + "\n"
    }

    static func draw(_ block: ReportDocument.Block, _ control: DocumentControl) -> [String]? {
        switch block {
        case .heading(let level, let text): [String(repeating: "#", count: level + 1) + " " + cell(text)]
        case .paragraph(let spans): [line(spans)]
        case .keyFigures(let figures): [figures.sentence]
        case .chart(.burnUp): nil
        case .chart(.heatMap(let grid, _)): heatMap(grid)
        case .kpis(let figures): kpis(figures)
        case .table(let table):
            if table.rows.isEmpty, let empty = table.whenEmpty, table.whenEmptyIn.contains(.markdown) { [empty] } else { draw(table.drawn(in: .markdown)) }
        case .signatureBlock:
            ["| | | | |", "|---|---|---|---|", "| Prepared by | \(cell(control.assessors.joined(separator: ", "))) | Date | \(control.generated) |",
             "| Approved by | \(cell(control.approvedBy ?? "")) | Date | |", "| Signature | | Version | \(control.version) (\(control.status.rawValue)) |"]
        case .only(let media, let block): media.contains(.markdown) ? draw(block, control) : nil
        case .list(let items): items.map { item in item.enumerated().map { ($0.offset == 0 ? "- " : "  ") + line($0.element) }.joined(separator: "\n") }
        case .section: nil
        }
    }

    /// A table; a cell's list items are further paragraphs, and a cell spanning columns is
    /// followed by empty ones.
    static func draw(_ table: (columns: [ReportDocument.Table.Column], rows: [ReportDocument.Table.Row])) -> [String] {
        ["| " + table.columns.map { cell($0.title(in: .markdown)) }.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: table.columns.count)]
            + table.rows.map { row in
                "| " + row.cells.flatMap { cell in
                    [(cell.paragraphs(in: .markdown) + cell.list(in: .markdown)).map(line).joined(separator: cell.markdownSeparator)]
                        + Array(repeating: "", count: max(cell.span - 1, 0))
                }.joined(separator: " | ") + " |"
            }
    }

    /// The heat map as a table: likelihood down, impact across.
    static func heatMap(_ grid: [[Int]]) -> [String] {
        var lines = ["| L \\ I | 1 | 2 | 3 | 4 | 5 |", "|---|---|---|---|---|---|"]
        for likelihood in (1...5).reversed() {
            lines.append("| \(likelihood) | " + grid[likelihood - 1].map(String.init).joined(separator: " | ") + " |")
        }
        return lines
    }

    static func line(_ spans: [ReportDocument.Span]) -> String {
        spans.filter { $0.drawn(in: .markdown) }.map { span in
            switch span.role {
            case .plain, .lead, .small: cell(span.text)
            case .verbatim, .status, .bar: span.text
            case .conflict, .qualifier: " (\(span.text))"
            case .alert: " **\(span.text)**"
            case .aside(let markdown): " " + markdown
            case .tag: span.text
            case .finding(let reference): finding(reference)
            }
        }.joined()
    }
}

import FieldbookModel

extension DOCXRenderer {
    /// The gap analysis: key figures and the roll-up in portrait, then the requirements in a
    /// landscape section (seven columns, notes and findings under each row). As in the HTML
    /// report, an excluded control is marked with its justification, and what the crosswalk
    /// suggests for a requirement nobody assessed sits in its own row, marked inferred.
    static func gapDocument(_ report: GapReport) -> WordDocument {
        // The framework's full name is long ("ISO/IEC 42001:2023 Information technology — ..."):
        // it is the subtitle, so the title and the page header stay one line.
        let title = "Gap analysis"
        var overview: [WordDocument.Block] = [DOCXBlocks.titleBlock(title, subtitle: report.frameworkName, report.document)]
        overview += DOCXBlocks.kpis(report.kpis)
        overview.append(.heading(level: 1, text: "Roll-up"))
        overview.append(.table(Table(
            columns: [Table.Column("group", 17), Table.Column("assessed", 6, .right), Table.Column("compliant", 7, .right),
                      Table.Column("partially", 6, .right), Table.Column("non-compliant", 7, .right), Table.Column("n/a", 4, .right),
                      Table.Column("excluded", 6, .right)],
            rows: report.rollups.map { group in
                // Deeper groups further right, as in the HTML roll-up.
                // The report is about one framework: its prefix (`nist-ai-rmf:`) would only take room.
                [Table.Cell([[.bold(String(group.id.split(separator: ":", maxSplits: 1).last ?? "")), .plain(" " + group.title)]]
                                + group.findings.map(findingLine), indent: group.depth * 227),
                 .text("\(group.assessed)/\(group.requirements)"), .text("\(group.compliant)"), .text("\(group.partiallyCompliant)"),
                 .text("\(group.nonCompliant)"), .text("\(group.notApplicable)"), .text("\(group.excluded)")]
            })))
        var requirements: [WordDocument.Block] = [.heading(level: 1, text: "Requirements")]
        var table = Table(columns: [Table.Column("requirement", 15), Table.Column("result", 9), Table.Column("maturity", 6, .center),
                                    Table.Column("evidence", 6, .right), Table.Column("open findings", 6, .right), Table.Column("risks", 4, .right),
                                    Table.Column("note, exclusion and findings", 30)],
                          rows: [])
        for row in report.rows {
            table.rows.append(requirementRow(row))
            if let inferred = inferredRow(row) { table.rows.append(inferred) }
        }
        requirements.append(.table(table))
        return WordDocument(title: title, control: report.document,
                            sections: [.init(orientation: .portrait, blocks: overview), .init(orientation: .landscape, blocks: requirements)])
    }

    static func requirementRow(_ row: GapReport.Row) -> [Table.Cell] {
        var result: [[Run]] = [[DOCXBlocks.status(row.status)] + (row.conflicted ? [DOCXBlocks.conflict] : [])]
        if row.excluded { result.append([Run(text: "excluded", bold: true, colour: DOCXBlocks.colour(of: "excluded"))]) }
        var notes: [[Run]] = []
        if row.excluded {
            notes.append([Run(text: "excluded", bold: true, colour: DOCXBlocks.colour(of: "excluded")),
                          .plain(": " + (row.justification ?? "no justification recorded"))])
        }
        if let note = row.note { notes.append([.plain(note)]) }
        notes += row.findings.map(findingLine)
        return [Table.Cell([[.bold(row.ref)], [Run(text: row.title, small: true)]]), Table.Cell(result), .text(row.maturity.map(String.init)),
                .text("\(row.evidence)"), .text("\(row.openFindings)"), .text("\(row.risks)"), Table.Cell(notes)]
    }

    /// The crosswalk's suggestion for a requirement nobody assessed, across the row's last six columns.
    static func inferredRow(_ row: GapReport.Row) -> [Table.Cell]? {
        guard let inferred = row.inferred, inferred.signal != CrosswalkInference.Signal.noSignal.rawValue else { return nil }
        let shade = "F4F5F9"
        var text = inferred.summary
        if !inferred.availableEvidence.isEmpty {
            text += ". Evidence available: " + inferred.availableEvidence.map { "\($0.filename ?? $0.evidence) (via \($0.via))" }.joined(separator: ", ")
        }
        // Each chain through mapping sets on its own line, row by row, as the HTML shows it.
        let paths = (inferred.paths ?? []).map { path in
            [Run(text: "path, \(path.coverage) coverage: " + path.hops.map { "\($0.from) \($0.relationship) \($0.to)" }.joined(separator: " → "),
                 italic: true, small: true)]
        }
        return [.text(nil, shading: shade),
                Table.Cell([[Run(text: "inferred, not assessed: ", bold: true, italic: true, small: true), Run(text: text, italic: true, small: true)]]
                           + paths,
                           shading: shade, span: 6)]
    }

    /// One finding under a row or group: severity, title, where its action stands, and the
    /// clause it was raised against when that is not the row itself.
    static func findingLine(_ finding: GapReport.FindingReference) -> [Run] {
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

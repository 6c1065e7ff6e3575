import FieldbookModel
extension GapReport: RenderableReport {
    /// The gap analysis as a document: the engagement's key figures and the roll-up in portrait,
    /// then the requirements in a landscape section, each with its note, exclusion and findings,
    /// and under one nobody assessed what the crosswalk suggests, in a row of its own marked
    /// inferred. Markdown lists the findings raised against a group and the suggestions after
    /// its tables instead.
    ///
    /// The framework's full name is long ("ISO/IEC 42001:2023 Information technology — ..."):
    /// it is the subject, so Word's title and page header stay one line. Spans and column titles
    /// limited to one medium keep each format's wording as it was before the gap report was
    /// drawn from this model ("not assessed" in Markdown, `not-assessed` elsewhere; the
    /// suggestion's evidence and paths); they are the places to even out once a change of output
    /// is wanted.
    public var reportDocument: ReportDocument {
        let rollup = ReportDocument.Table(
            columns: [.init(title: "group", weight: 17), .init(title: "assessed", weight: 6, alignment: .right),
                      .init(title: "compliant", weight: 7, alignment: .right), .init(title: "partially", weight: 6, alignment: .right),
                      .init(title: "non-compliant", weight: 7, alignment: .right), .init(title: "n/a", weight: 4, alignment: .right),
                      .init(title: "excluded", weight: 6, alignment: .right)],
            rows: rollups.map(Self.row))
        let requirements = ReportDocument.Table(
            columns: [.init(title: "requirement", weight: 15), .init(title: "result", weight: 9, titleIn: [.markdown: "status"]),
                      .init(title: "maturity", weight: 6, alignment: .center), .init(title: "evidence", weight: 6, alignment: .right),
                      .init(title: "open findings", weight: 6, alignment: .right), .init(title: "risks", weight: 4, alignment: .right),
                      .init(title: "note, exclusion and findings", weight: 30, titleIn: [.markdown: "note and findings", .html: "note"])],
            rows: rows.flatMap { row in [Self.row(row)] + (row.suggestion.map { [Self.row($0)] } ?? []) })
        var blocks: [ReportDocument.Block] = [.kpis(kpis), .heading(level: 1, text: "Roll-up"), .table(rollup)]
        let groupFindings = rollups.flatMap { group in group.findings.map { [[ReportDocument.Span.verbatim(group.id + ": "), .finding($0)]] } }
        if !groupFindings.isEmpty {
            blocks += [.only([.markdown], .paragraph([.plain("Findings raised against a group as a whole:")])), .only([.markdown], .list(items: groupFindings))]
        }
        blocks += [.section(.landscape), .heading(level: 1, text: "Requirements"), .table(requirements)]
        let suggestions = rows.compactMap { row in row.suggestion.map { (row.requirement, $0) } }
        if !suggestions.isEmpty {
            let throughSets = suggestions.contains { $0.1.paths != nil }
            blocks += [.only([.markdown], .heading(level: 1, text: "Inferred through the crosswalk\(throughSets ? " and mapping sets" : "") (not assessed, suggestions only)")),
                       .only([.markdown], .list(items: suggestions.map(Self.item)))]
        }
        return ReportDocument(title: "Gap analysis", subject: frameworkName, control: document, orientation: .portrait, blocks: blocks, data: dataTable)
    }

    /// A group of the roll-up, indented by its depth. Word leaves out the framework's prefix
    /// (`nist-ai-rmf:`), which would only take room in a report about one framework.
    static func row(_ group: Rollup) -> ReportDocument.Table.Row {
        var about = ReportDocument.Table.Cell.spans([.verbatim(group.id, in: [.markdown, .html]),
                                                     .lead(String(group.id.split(separator: ":", maxSplits: 1).last ?? ""), in: [.word]),
                                                     .plain(" " + group.title)])
        about.list = group.findings.map { [.finding($0, in: [.html, .word])] }
        about.depth = group.depth
        return [about, .text("\(group.assessed)/\(group.requirements)"), .text("\(group.compliant)"), .text("\(group.partiallyCompliant)"),
                .text("\(group.nonCompliant)"), .text("\(group.notApplicable)"), .text("\(group.excluded)")]
    }

    /// A requirement: its result, the counts, then the exclusion with its justification, the
    /// note and the findings. An excluded control nobody assessed reads `excluded` in Markdown
    /// and HTML, `not-assessed` over an `excluded` mark in Word; Markdown says "not assessed".
    static func row(_ row: Row) -> ReportDocument.Table.Row {
        let about = ReportDocument.Table.Cell(paragraphs: [[.verbatim(row.requirement, in: [.markdown, .html]), .lead(row.ref, in: [.word])],
                                                           [.small(row.title, in: [.html, .word])]])
        let shown = row.status ?? (row.excluded ? "excluded" : "not-assessed")
        var result = ReportDocument.Table.Cell.spans(
            [.verbatim(row.status ?? (row.excluded ? "excluded" : "not assessed"), in: [.markdown]), .verbatim(shown, in: [.html]),
             ReportDocument.Span(text: row.status ?? "not-assessed", role: .status(colour: row.status ?? "not-assessed"), media: [.word])]
                + (row.conflicted ? [.conflict] : []),
            htmlClass: shown)
        var notes: [[ReportDocument.Span]] = []
        if row.excluded {
            result.paragraphs.append([.tag("excluded", in: [.word])])
            let justification = row.justification ?? "no justification recorded"
            notes.append([.tag("excluded"), .plain(": " + justification, in: [.markdown, .word]), .plain(" " + justification, in: [.html])])
        }
        if let contradiction = row.contradiction { notes.append([.alert("contradiction: " + contradiction)]) }
        if let note = row.note { notes.append([.plain(note)]) }
        var note = ReportDocument.Table.Cell(paragraphs: notes)
        note.list = row.findings.map { [.finding($0)] }
        // Fieldwork behind the result: interviews held and each sampled test's conclusion.
        if row.interviews > 0 { note.paragraphs.append([.small(counted(row.interviews, "interview") + " held")]) }
        for test in row.tests {
            note.paragraphs.append([.plain("Sampled test \(test.title): \(test.summary)")] + (test.conclusion == "exceptions" ? [.alert("exceptions")] : []))
        }
        return [about, result, .text(row.maturity.map(String.init)), .text("\(row.evidence)"), .text("\(row.openFindings)"), .text("\(row.risks)"), note]
    }

    /// What the crosswalk suggests, across the last six columns (Markdown lists it after the
    /// table). HTML names the evidence files; Word says which related requirement each came
    /// through. Each chain through mapping sets is a line of its own.
    static func row(_ suggestion: Inferred) -> ReportDocument.Table.Row {
        let files = suggestion.availableEvidence.map { $0.filename ?? $0.evidence }.joined(separator: ", ")
        let evidence = suggestion.availableEvidence.isEmpty ? (html: "", word: "")
            : (html: ". Evidence available: " + files, word: ". Evidence available: " + suggestion.evidenceVia)
        let paths = suggestion.paths ?? []
        var text = ReportDocument.Table.Cell(paragraphs: [[
            .tag("inferred, not assessed", in: [.html]), .tag("inferred, not assessed: ", in: [.word]),
            .plain(" " + suggestion.summary + evidence.html, in: [.html]), .plain(suggestion.summary + evidence.word, in: [.word]),
        ]] + paths.map { [.small("path \($0.coverage): " + $0.route(" → "), in: [.html])] }
           + paths.map { [.plain("path, \($0.coverage) coverage: " + $0.route(" → "), in: [.word])] })
        text.span = 6
        return ReportDocument.Table.Row([.text(nil), text], inferred: true, media: [.html, .word])
    }

    /// Markdown's suggestion: the requirement and the summary, then each chain and the evidence on lines of their own.
    static func item(_ requirement: String, _ suggestion: Inferred) -> [[ReportDocument.Span]] {
        [[.verbatim(requirement + ": "), .plain(suggestion.summary), .verbatim(".")]]
            + (suggestion.paths ?? []).map { [.verbatim("Path (\($0.coverage)): " + $0.route("; "))] }
            + (suggestion.availableEvidence.isEmpty ? [] : [[.verbatim("Evidence available: " + suggestion.evidenceVia)]])
    }

    /// The gap analysis's data as CSV carries it: a row per requirement, per roll-up and per key figure.
    var dataTable: ReportDocument.DataTable {
        let requirements: [[String?]] = rows.map { row in
            let from = row.inferred?.related.filter { $0.status != nil }.map { "\($0.requirement)=\($0.status!)" }.joined(separator: " ")
            return ["requirement", row.requirement, row.title, row.status ?? "not-assessed", row.maturity.map(String.init),
                    String(row.evidence), String(row.openFindings), String(row.risks), row.note, row.inferred?.signal, from,
                    row.applicability, row.justification, Self.findingsCell(row.findings),
                    row.interviews > 0 ? String(row.interviews) : nil, Self.testsCell(row.tests), nil, nil]
        }
        let groups: [[String?]] = rollups.map { rollup in
            ["rollup", rollup.id, rollup.title, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, Self.findingsCell(rollup.findings),
             nil, nil, "assessed", "\(rollup.assessed)/\(rollup.requirements)"]
        }
        return .init(header: Self.dataHeader, rows: requirements + groups + CSVRenderer.kpiRows(kpis, width: Self.dataHeader.count))
    }

    static let dataHeader = ["section", "id", "title", "status", "maturity", "evidence", "open_findings", "risks", "note",
                             "inferred_signal", "inferred_from", "applicability", "justification", "findings", "interviews", "tests",
                             "metric", "value"]

    /// Sampled tests in one cell: `conclusion:title`, `; `-separated.
    static func testsCell(_ tests: [GapReport.TestReference]) -> String? {
        tests.isEmpty ? nil : tests.map { "\($0.conclusion):\($0.title)" }.joined(separator: "; ")
    }

    /// Findings in one cell: `severity:status:title`, `; `-separated.
    static func findingsCell(_ findings: [FindingReference]) -> String? {
        findings.isEmpty ? nil : findings.map { "\($0.severity ?? "unrated"):\($0.status)\($0.overdue ? ":overdue" : ""):\($0.title)" }.joined(separator: "; ")
    }
}

extension GapReport.Row {
    /// What the crosswalk suggests, when it suggests anything.
    var suggestion: GapReport.Inferred? {
        inferred.flatMap { $0.signal == CrosswalkInference.Signal.noSignal.rawValue ? nil : $0 }
    }
}

extension GapReport.Inferred {
    /// The evidence files (or ids) and the related requirement each is linked to.
    var evidenceVia: String { availableEvidence.map { "\($0.filename ?? $0.evidence) (via \($0.via))" }.joined(separator: ", ") }
}

extension MappingInference.Path {
    /// The path row by row: `A.6.2.4 equivalent SCF-12`, then the next.
    func route(_ separator: String) -> String { hops.map { "\($0.from) \($0.relationship) \($0.to)" }.joined(separator: separator) }
}

import FieldbookModel

extension Workpapers: RenderableReport {
    /// The workpapers as a document: key figures, then each sampled test (what it checks, the
    /// population and the recorded draw, its conclusion, the items drawn and what each showed),
    /// then the interviews held.
    public var reportDocument: ReportDocument {
        let figures = ReportDocument.KeyFigures(
            sentence: "\(counted(tests.count, "sampled test")): \(itemsTested) of \(counted(itemsDrawn, "item")) tested, "
                + "\(counted(exceptions, "exception")); \(counted(interviews.count, "interview")).",
            cards: [[.init(label: "Sampled tests", value: "\(tests.count)", detail: "\(itemsTested) of \(counted(itemsDrawn, "item")) tested")],
                    [.init(label: "Exceptions", value: "\(exceptions)", alert: exceptions > 0), .init(label: "Interviews", value: "\(interviews.count)")]],
            rows: [("Sampled tests", "\(tests.count)"), ("Items tested", "\(itemsTested) of \(itemsDrawn)"), ("Exceptions", "\(exceptions)"),
                   ("Interviews", "\(interviews.count)")])
        var blocks: [ReportDocument.Block] = [.keyFigures(figures), .heading(level: 1, text: "Sampled tests")]
        if tests.isEmpty { blocks.append(.paragraph([.plain("No sampled tests recorded.")])) }
        for test in tests { blocks += Self.blocks(test) }
        blocks.append(.heading(level: 1, text: "Interviews"))
        blocks.append(.table(ReportDocument.Table(
            columns: [.init(title: "date", weight: 6), .init(title: "with", weight: 10), .init(title: "requirements", weight: 10),
                      .init(title: "notes", weight: 24)],
            rows: interviews.map { interview in
                [.spans([.verbatim(interview.date ?? "")] + (interview.conflicted ? [.conflict] : []), htmlClass: "date"),
                 .text([interview.interviewee, interview.role].compactMap { $0 }.joined(separator: ", ")),
                 .spans([.verbatim(interview.requirements.joined(separator: ", "))]), .text(interview.notes)]
            }, whenEmpty: "No interviews recorded.")))
        return ReportDocument(
            title: "Fieldwork workpapers",
            reference: .init(clause: "ISO/IEC 42001:2023, 9.2", topic: "internal audit: sampled tests and interviews"),
            control: document, orientation: .landscape, blocks: blocks, data: dataTable)
    }

    /// One test: what it checks and against which requirements, the population and the draw
    /// (enough to redraw it, docs/sampling.md), the conclusion, then the items.
    static func blocks(_ test: Test) -> [ReportDocument.Block] {
        let population = test.population
        var blocks: [ReportDocument.Block] = [.heading(level: 2, text: test.title)]
        blocks.append(.paragraph([.plain("Test "), .verbatim(test.id), .plain(" of "), .verbatim(test.requirements.joined(separator: ", "))]
            + (test.conflicted ? [.conflict] : [])))
        if let description = test.description { blocks.append(.paragraph([.plain("Checks: " + description)])) }
        blocks.append(.paragraph([.plain("Population: \(population.file ?? "-"), \(counted(population.rows ?? 0, "row")), SHA-256 "),
                                  .verbatim(population.sha256 ?? "-"), .plain("; header: " + (population.header ?? "-"))]))
        blocks.append(.paragraph([.plain("Sample: \(counted(test.size ?? 0, "item"))"
                                         + (test.frequency.map { " (the size for a \($0) control)" } ?? " (size given)")
                                         + ", drawn by \(test.method ?? "-") with seed "), .verbatim("\(test.seed ?? 0)"), .plain(".")]))
        blocks.append(.paragraph([.lead("Conclusion: "), .plain(test.summary)] + (test.conclusion == "exceptions" ? [.alert("exceptions")] : [])))
        blocks.append(.table(ReportDocument.Table(
            columns: [.init(title: "row", weight: 4, alignment: .right), .init(title: "key", weight: 12), .init(title: "result", weight: 6),
                      .init(title: "exception", weight: 18), .init(title: "evidence and findings", weight: 12)],
            rows: test.items.map { item in
                let result = item.result ?? "not recorded"
                var outcome: [ReportDocument.Span] = [.status(item.result, fallback: "not-recorded")]
                outcome[0].text = result
                if item.conflicted { outcome.append(.conflict) }
                let references = item.evidence.map { [ReportDocument.Span.plain("evidence: " + $0)] }
                    + item.findings.map { [ReportDocument.Span.plain("finding "), .verbatim($0)] }
                return [.text(item.row.map(String.init)), .text(item.key), .spans(outcome, htmlClass: item.result ?? ""),
                        .text(item.exception), references.isEmpty ? .text(nil) : ReportDocument.Table.Cell(paragraphs: references)]
            }, whenEmpty: "No items drawn.")))
        return blocks
    }

    /// The workpapers' data as CSV and XLSX carry it: a row per item drawn, then a row per interview.
    var dataTable: ReportDocument.DataTable {
        var rows: [[String?]] = []
        for test in tests {
            let population: [String?] = [test.population.file, test.population.sha256, test.population.rows.map(String.init)]
            let draw: [String?] = [test.seed.map(String.init), test.size.map(String.init), test.frequency, test.method, test.conclusion]
            for item in test.items {
                let head: [String?] = ["item", test.id, test.title, test.requirements.joined(separator: " ")]
                let found: [String?] = [item.row.map(String.init), item.key, item.draw.map(String.init), item.result, item.exception,
                                        item.evidence.joined(separator: "; "), item.findings.joined(separator: "; "), nil, nil]
                rows.append(head + population + draw + found)
            }
        }
        for interview in interviews {
            let head: [String?] = ["interview", interview.id, [interview.interviewee, interview.role].compactMap { $0 }.joined(separator: ", "),
                                   interview.requirements.joined(separator: " ")]
            let blank = [String?](repeating: nil, count: Self.dataHeader.count - head.count - 2)
            rows.append(head + blank + [interview.date, interview.notes])
        }
        return .init(header: Self.dataHeader, rows: rows)
    }

    static let dataHeader = ["section", "id", "title", "requirements", "population_file", "population_sha256", "population_rows", "seed",
                             "size", "frequency", "method", "conclusion", "row", "key", "draw", "result", "exception", "evidence",
                             "findings", "date", "notes"]
}

import FieldbookModel

extension StatementOfApplicability: RenderableReport {
    /// The Statement of Applicability as a document: key figures, one row per Annex A control, the approval.
    public var reportDocument: ReportDocument {
        let s = summary
        var rows = [("Annex A controls", "\(s.controls)"), ("Included", "\(s.included), of which \(s.implemented) implemented (assessed compliant)"),
                    ("Excluded", "\(s.excluded)"), ("Undecided", "\(s.undecided)")]
        if s.unjustifiedExclusions > 0 { rows.append(("Exclusions without a justification", "\(s.unjustifiedExclusions)")) }
        if let derived = s.derivedInclusions { rows.append(("Included for the risks they treat (no decision recorded)", "\(derived)")) }
        if let contradictions = s.contradictions { rows.append(("Exclusions contradicting a risk's treatment", "\(contradictions)")) }
        // What the risks treated add, said only when there is something (a statement without stays as it was).
        let derived = s.derivedInclusions.map { ", \($0) for the risks they treat" } ?? ""
        let contradicted = s.contradictions.map { " \(counted($0, "exclusion")) \($0 == 1 ? "contradicts" : "contradict") a risk's treatment." } ?? ""
        var cards: [[ReportDocument.KeyFigures.Card]] = [
            [.init(label: "Annex A controls", value: "\(s.controls)")], [.init(label: "Included", value: "\(s.included)", detail: "\(s.implemented) implemented" + derived)],
            [.init(label: "Excluded", value: "\(s.excluded)"), .init(label: "Undecided", value: "\(s.undecided)")]]
        if let contradictions = s.contradictions {
            cards.append([.init(label: "Exclusions contradicting a risk's treatment", value: "\(contradictions)", detail: "a final statement is refused", alert: true)])
        }
        let figures = ReportDocument.KeyFigures(
            sentence: "\(s.controls) Annex A controls: \(s.included) included (\(s.implemented) implemented\(derived)), \(s.excluded) excluded, \(s.undecided) undecided.\(contradicted)",
            cards: cards, rows: rows)
        let table = ReportDocument.Table(
            columns: [.init(title: "control", weight: 13), .init(title: "applicability", weight: 8), .init(title: "justification", weight: 12),
                      .init(title: "implementation", weight: 10), .init(title: "maturity", weight: 6, alignment: .center, media: [.word]),
                      .init(title: "evidence", weight: 9), .init(title: "AI RMF (crosswalk)", weight: 16)],
            rows: controls.map(Self.row))
        let issued = document.status == .final ? "issued final" : "a draft"
        return ReportDocument(
            title: "Statement of Applicability", reference: .init(clause: "ISO/IEC 42001:2023, 6.1.3"), control: document, orientation: .landscape,
            blocks: [.keyFigures(figures), .only([.word], .heading(level: 1, text: "Annex A controls")), .table(table),
                     .heading(level: 1, text: "Approval"),
                     .signatureBlock(statement: "This statement reflects engagement version \(document.version), \(issued) on \(document.generated).")],
            data: .init(header: ["control", "title", "objective", "applicability", "justification", "implementation", "maturity", "evidence", "ai_rmf",
                                 "reason", "treats", "contradiction"],
                        rows: controls.map { control in
                            [control.control, control.title, control.objective, control.applicability, control.justification,
                             control.implementation ?? "not-assessed", control.maturity.map(String.init),
                             control.evidence.map { $0.filename ?? $0.id }.joined(separator: " "), control.aiRMF.map(\.requirement).joined(separator: " "),
                             control.reason, control.treats?.joined(separator: " "), control.contradiction]
                        }))
    }

    static func row(_ control: Control) -> ReportDocument.Table.Row {
        var about = ReportDocument.Table.Cell(paragraphs: [[.lead(control.ref)], [.small(control.title)]])
        about.markdownSeparator = " "
        let evidence = [[ReportDocument.Span(text: "\(control.evidence.count)", role: .verbatim, media: [.markdown])]]
            + control.evidence.map { [ReportDocument.Span(text: $0.label, role: .plain, media: [.html, .word])] }
            + (control.interviews ?? []).map { [ReportDocument.Span(text: "interview: " + $0, role: .plain, media: [.html, .word])] }
            + (control.tests ?? []).map { [ReportDocument.Span(text: "sampled test: " + $0, role: .plain, media: [.html, .word])] }
        var related = ReportDocument.Table.Cell.spans(control.aiRMF.enumerated().flatMap { index, related -> [ReportDocument.Span] in
            let id = related.requirement.replacingOccurrences(of: "nist-ai-rmf:", with: "")
            return [.verbatim((index > 0 ? ", " : "") + id)] + (related.status.map { [ReportDocument.Span(text: $0, role: .qualifier)] } ?? [])
        })
        related.small = true
        return [about, .spans([.status(control.applicability, fallback: "")] + (control.conflicted ? [.conflict] : []), htmlClass: control.applicability),
                justification(control),
                .spans([ReportDocument.Span(text: control.implementation ?? "not-assessed", role: .status(colour: control.implementation ?? "not-assessed"), media: [.html, .word]),
                        ReportDocument.Span(text: control.implementation ?? "not assessed", role: .verbatim, media: [.markdown])],
                       htmlClass: control.implementation ?? "not-assessed"),
                .text(control.maturity.map(String.init)),
                ReportDocument.Table.Cell(paragraphs: evidence), related]
    }

    /// Why the control is in or out: the recorded justification, then the kind of reason, the
    /// risks it treats and a contradiction, each a paragraph of its own when there is one.
    static func justification(_ control: Control) -> ReportDocument.Table.Cell {
        var paragraphs: [[ReportDocument.Span]] = []
        if let reason = control.reason { paragraphs.append([.tag(reason)]) }
        // A contradiction names the risks itself.
        if let contradiction = control.contradiction {
            paragraphs.append([.alert("contradiction: " + contradiction)])
        } else if let derived = control.derivedReason {
            paragraphs.append([.plain(derived)])
        }
        guard !paragraphs.isEmpty else { return .text(control.justification) }
        return ReportDocument.Table.Cell(paragraphs: (control.justification.map { [[.plain($0)]] } ?? []) + paragraphs)
    }
}

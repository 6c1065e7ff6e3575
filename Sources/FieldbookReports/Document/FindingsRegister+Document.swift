import FieldbookModel
import FieldbookStore

extension FindingsRegister: RenderableReport {
    /// The corrective-action register as a document: key figures, then one row per finding.
    public var reportDocument: ReportDocument {
        let s = summary
        // Observations and opportunities for improvement are counted apart, once there are any.
        let grades = "\(s.major) major, \(s.minor) minor" + [s.observations.map { counted($0, "observation") },
                                                             s.opportunities.map { counted($0, "opportunity for improvement", "opportunities for improvement") }]
            .compactMap { $0.map { ", " + $0 } }.joined()
        let figures = ReportDocument.KeyFigures(
            sentence: "\(counted(s.total, "finding")): \(grades); \(s.open) open, \(s.inProgress) in progress, \(s.closed) closed; \(s.overdue) overdue.",
            cards: [[.init(label: "Findings", value: "\(s.total)", detail: grades)],
                    [.init(label: "Open", value: "\(s.open)", detail: "\(s.inProgress) in progress"), .init(label: "Closed", value: "\(s.closed)")],
                    [.init(label: "Overdue", value: "\(s.overdue)", detail: "not closed, past due", alert: true)]],
            rows: [("Findings", "\(s.total) (\(grades))"), ("Open", "\(s.open)"), ("In progress", "\(s.inProgress)"),
                   ("Closed", "\(s.closed)"), ("Overdue (not closed, past due)", "\(s.overdue)")])
        let register = ReportDocument.Table(
            columns: [.init(title: "finding", weight: 16), .init(title: "severity", weight: 5), .init(title: "status", weight: 6),
                      .init(title: "owner", weight: 8), .init(title: "due", weight: 7), .init(title: "source", weight: 8),
                      .init(title: "requirements", weight: 13), .init(title: "corrective action", weight: 16)],
            rows: findings.map(Self.row), whenEmpty: "No findings recorded.", htmlSpaced: true)
        return ReportDocument(
            title: "Corrective-action register",
            reference: .init(clause: "ISO/IEC 42001:2023, 10.2", topic: "nonconformity and corrective action"),
            control: document, orientation: .landscape,
            blocks: [.keyFigures(figures), .only([.word], .heading(level: 1, text: "Register")), .table(register)],
            data: .init(header: ["id", "title", "severity", "status", "owner", "due", "overdue", "source", "requirements", "systems",
                                 "corrective_action", "description", "correction", "root_cause", "verification", "verified_by", "verified_on",
                                 "verification_evidence", "closed_without_verification"],
                        rows: findings.map {
                            [$0.id, $0.title, $0.severity, $0.status, $0.owner, $0.due, $0.overdue ? "yes" : "no", $0.source,
                             $0.requirements.map(\.requirement).joined(separator: " "), $0.systems.joined(separator: "; "), $0.correctiveAction,
                             $0.description, $0.correction, $0.rootCause, $0.verification?.result, $0.verification?.by, $0.verification?.on,
                             $0.verification?.evidence.joined(separator: "; "), $0.closedWithoutVerification]
                        }))
    }

    static func row(_ finding: Entry) -> ReportDocument.Table.Row {
        var about: [[ReportDocument.Span]] = [[.lead(finding.title)] + (finding.conflicted ? [.conflict] : [])]
        if let description = finding.description { about.append([.small(description, in: [.html, .word])]) }
        if !finding.systems.isEmpty { about.append([.small("AI systems: " + finding.systems.joined(separator: ", "))]) }
        var requirements = ReportDocument.Table.Cell(paragraphs: finding.requirements.map { target in
            [.verbatim(target.requirement)]
                + (target.whole ? [.aside("(whole \(target.ref): \(target.covers.count) requirements)", markdown: "(whole \(target.ref))")] : [])
        })
        requirements.markdownSeparator = ", "
        return [.init(paragraphs: about), .spans([.status(finding.severity, fallback: "unrated")], htmlClass: finding.severity ?? ""),
                .spans([.verbatim(finding.status)]), .text(finding.owner),
                .spans((finding.due.map { [.verbatim($0)] } ?? []) + (finding.overdue ? [.alert("overdue")] : []), htmlClass: "date"),
                .spans([.verbatim(finding.source ?? "")]), requirements, correctiveAction(finding)]
    }

    /// The nonconformity's record as 10.2 reads it: correction, root cause, corrective action,
    /// then the verification of its effectiveness and the override that closed it without one.
    /// A finding recording only a corrective action shows just that.
    static func correctiveAction(_ finding: Entry) -> ReportDocument.Table.Cell {
        var paragraphs: [[ReportDocument.Span]] = [
            finding.correction.map { [.plain("Correction: " + $0)] },
            finding.rootCause.map { [.plain("Root cause: " + $0)] },
            finding.correctiveAction.map { [.plain($0)] },
        ].compactMap { $0 }
        if let verification = finding.verification {
            let evidence = verification.evidence.isEmpty ? "" : "; evidence: " + verification.evidence.joined(separator: ", ")
            paragraphs.append([.plain(Finding.verified(verification.result, by: verification.by, on: verification.on) + evidence)])
        }
        if let reason = finding.closedWithoutVerification {
            paragraphs.append([.plain(Finding.closedWithout(reason)), .alert("override")])
        }
        return paragraphs.isEmpty ? .text(nil) : ReportDocument.Table.Cell(paragraphs: paragraphs)
    }
}

import FieldbookModel

extension ManagementReview: RenderableReport {
    /// The management review's inputs as a document: the period, then one section per 9.3.2
    /// input in the standard's order, each a table or a sentence when there is nothing to show.
    public var reportDocument: ReportDocument {
        let n = nonconformities
        let figures = ReportDocument.KeyFigures(
            sentence: "From \(since) to \(until): \(counted(n.raised, "nonconformity", "nonconformities")) raised and \(n.closed) closed; "
                + "\(n.openAtEnd) open at the end, \(n.overdueAtEnd) overdue. Gaps opened \(gapsOpened), closed \(gapsClosed). "
                + "Risks identified \(risks.identified), raised to high or critical \(risks.raisedToHigh), mitigated \(risks.mitigated).",
            cards: [[.init(label: "Nonconformities raised", value: "\(n.raised)", detail: "\(n.closed) closed in the period")],
                    [.init(label: "Open at the end", value: "\(n.openAtEnd)", detail: "\(n.overdueAtEnd) overdue", alert: n.overdueAtEnd > 0)],
                    [.init(label: "Gaps opened / closed", value: "\(gapsOpened) / \(gapsClosed)", detail: "in the period")],
                    [.init(label: "Risks", value: "\(risks.identified)", detail: "identified; \(risks.mitigated) mitigated")]],
            rows: [("Period", "\(since) to \(until)"), ("Nonconformities raised", "\(n.raised)"), ("Closed in the period", "\(n.closed)"),
                   ("Open at the end", "\(n.openAtEnd) (\(n.overdueAtEnd) overdue)"), ("Gaps opened / closed", "\(gapsOpened) / \(gapsClosed)"),
                   ("Risks identified / raised to high / mitigated", "\(risks.identified) / \(risks.raisedToHigh) / \(risks.mitigated)")],
            wordHeading: "The period under review")
        let actionColumns: [ReportDocument.Table.Column] = [
            .init(title: "action", weight: 14), .init(title: "grade", weight: 5), .init(title: "status", weight: 5),
            .init(title: "owner", weight: 7), .init(title: "due", weight: 6), .init(title: "raised", weight: 6)]
        let actionRows = { (actions: [Action]) in
            actions.map { action -> ReportDocument.Table.Row in
                [.spans([.lead(action.title)]), .spans([.status(action.severity, fallback: "unrated")], htmlClass: action.severity ?? ""),
                 .spans([.verbatim(action.status)]), .text(action.owner),
                 .spans((action.due.map { [.verbatim($0)] } ?? []) + (action.overdue ? [.alert("overdue")] : []), htmlClass: "date"),
                 .spans([.verbatim(action.raised)])]
            }
        }
        // Nonconformities read with their 10.2 record: cause, action and whether it worked.
        let correctiveColumns: [ReportDocument.Table.Column] = [
            .init(title: "nonconformity", weight: 12), .init(title: "grade", weight: 5), .init(title: "root cause", weight: 10),
            .init(title: "corrective action", weight: 10), .init(title: "status", weight: 5), .init(title: "due", weight: 6),
            .init(title: "verification", weight: 10)]
        let correctiveRows = { (actions: [Action]) in
            actions.map { action -> ReportDocument.Table.Row in
                [.spans([.lead(action.title)]), .spans([.status(action.severity, fallback: "unrated")], htmlClass: action.severity ?? ""),
                 .text(action.rootCause), .text(action.correctiveAction), .spans([.verbatim(action.status)]),
                 .spans((action.due.map { [.verbatim($0)] } ?? []) + (action.overdue ? [.alert("overdue")] : []), htmlClass: "date"),
                 .text(action.verification)]
            }
        }
        let monitoringTable = ReportDocument.Table(
            columns: [.init(title: "framework", weight: 10), .init(title: "assessed", weight: 5, alignment: .right),
                      .init(title: "compliant of assessed", weight: 6, alignment: .right), .init(title: "open gaps", weight: 5, alignment: .right)],
            rows: monitoring.map { [.text($0.name), .text(Format.percent($0.assessedPercent)), .text(Format.percent($0.compliantPercent)),
                                    .text("\($0.openGaps)")] })
        let auditTable = ReportDocument.Table(
            columns: [.init(title: "source", weight: 8), .init(title: "findings raised", weight: 5, alignment: .right),
                      .init(title: "still open", weight: 5, alignment: .right)],
            rows: audits.map { [.spans([.verbatim($0.source)]), .text("\($0.raised)"), .text("\($0.open)")] })
        let riskTable = ReportDocument.Table(
            columns: [.init(title: "in the period", weight: 10), .init(title: "risks", weight: 4, alignment: .right)],
            rows: [[.text("identified"), .text("\(risks.identified)")], [.text("raised to high or critical"), .text("\(risks.raisedToHigh)")],
                   [.text("mitigated or closed"), .text("\(risks.mitigated)")],
                   [.text("high or critical and still open at the end"), .text("\(risks.openHighOrCritical)")]])
        let blocks: [ReportDocument.Block] = [
            .keyFigures(figures),
            .heading(level: 1, text: "a) Status of actions from earlier reviews"),
            .paragraph([.plain("Corrective actions raised before \(since), and where each stands.")]),
            .table(.init(columns: correctiveColumns, rows: correctiveRows(earlierActions), whenEmpty: "No corrective action was raised before the period.")),
            .heading(level: 1, text: "b) and c) Issues and interested parties"),
            .paragraph([.plain("Not recorded in Fieldbook; bring to the review: " + notHeld.joined(separator: "; ") + ".")]),
            .heading(level: 1, text: "d) Performance of the AI management system"),
            .heading(level: 2, text: "1) Nonconformities and corrective actions"),
            .paragraph([.plain("\(n.raised) raised and \(n.closed) closed in the period; \(n.openAtEnd) open at the end, \(n.overdueAtEnd) of them overdue.")]),
            .table(.init(columns: correctiveColumns, rows: correctiveRows(periodActions),
                         whenEmpty: "No nonconformity was raised or closed in the period.")),
            .heading(level: 2, text: "2) Monitoring and measurement results"),
            .paragraph([.plain("Gaps opened in the period: \(gapsOpened); closed: \(gapsClosed).")]),
            .table(monitoringTable),
            .heading(level: 2, text: "3) Audit results"),
            .table(auditTable),
            .heading(level: 2, text: "Changes in AI risks"),
            .table(riskTable),
            .heading(level: 1, text: "e) Opportunities for continual improvement"),
            .table(.init(columns: actionColumns, rows: actionRows(improvement),
                         whenEmpty: "No observation or opportunity for improvement is recorded.")),
        ]
        let data = ReportDocument.DataTable(
            header: ["section", "item", "value"],
            rows: [["period", "since", since], ["period", "until", until],
                   ["nonconformities", "raised", "\(n.raised)"], ["nonconformities", "closed", "\(n.closed)"],
                   ["nonconformities", "open_at_end", "\(n.openAtEnd)"], ["nonconformities", "overdue_at_end", "\(n.overdueAtEnd)"],
                   ["gaps", "opened", "\(gapsOpened)"], ["gaps", "closed", "\(gapsClosed)"],
                   ["risks", "identified", "\(risks.identified)"], ["risks", "raised_to_high", "\(risks.raisedToHigh)"],
                   ["risks", "mitigated", "\(risks.mitigated)"], ["risks", "open_high_or_critical", "\(risks.openHighOrCritical)"]]
                + monitoring.flatMap { [["monitoring", "\($0.framework) assessed_percent", "\($0.assessedPercent)"],
                                        ["monitoring", "\($0.framework) compliant_percent", "\($0.compliantPercent)"],
                                        ["monitoring", "\($0.framework) open_gaps", "\($0.openGaps)"]] }
                + audits.map { ["audits", $0.source, "\($0.raised) raised, \($0.open) open"] }
                + earlierActions.map { ["earlier_action", $0.finding, "\($0.status)\($0.overdue ? " overdue" : "")"] }
                + periodActions.map { ["period_action", $0.finding, "\($0.status)\($0.overdue ? " overdue" : "")"] }
                + improvement.map { ["improvement", $0.finding, $0.status] })
        return ReportDocument(
            title: "Management review inputs", pageTitle: "Management review",
            reference: .init(clause: "ISO/IEC 42001:2023, 9.3.2", topic: "management review inputs"),
            control: document, orientation: .portrait, blocks: blocks, data: data)
    }
}

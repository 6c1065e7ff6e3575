import FieldbookModel

/// Pieces several Word reports share: the title block, the key figures, result colours.
enum DOCXBlocks {
    /// The title block every report opens with, read from its `DocumentControl`.
    static func titleBlock(_ title: String, subtitle: String?, _ control: DocumentControl) -> WordDocument.Block {
        var fields: [(label: String, value: String)] = [
            ("Engagement", control.engagement),
            ("Scope", control.scope ?? "not recorded"),
            ("Assessors", assessors(control)),
            ("Generated", control.generated),
            ("Version", control.version),
            ("Status", control.status.rawValue),
        ]
        if let approver = control.approvedBy { fields.append(("Approved by", approver)) }
        return .titleBlock(title: title, subtitle: subtitle, fields: fields)
    }

    static func assessors(_ control: DocumentControl) -> String {
        control.assessors.isEmpty ? "none yet" : control.assessors.joined(separator: ", ")
    }

    /// The colour a result, applicability or severity is printed in (the HTML report's).
    static func colour(of value: String?) -> String? {
        switch value {
        case "compliant", "included": "17692F"
        case "partially-compliant", "excluded", "minor": "8A5A00"
        case "non-compliant", "major": "A4161A"
        case "not-applicable", "not-assessed", "undecided", nil: "6B7280"
        default: nil
        }
    }

    /// `value` as a coloured run, `fallback` when it is nil.
    static func status(_ value: String?, fallback: String = "not-assessed") -> Run {
        Run(text: value ?? fallback, colour: colour(of: value ?? fallback))
    }

    /// A risk level's fill in the heat map and the register (the HTML heat map's colours).
    static func fill(ofLevel level: String) -> String? {
        HeatMap.colours[level].map { String($0.drop(while: { $0 == "#" })).uppercased() }
    }

    /// The "conflict" mark after a value two assessors disagree on.
    static let conflict = Run(text: " (conflict)", italic: true, colour: "A4161A")

    /// A key-value table: labels shaded on the left, no header row.
    static func facts(_ rows: [(String, String)], width: Double = 0.75) -> Table {
        Table(columns: [Table.Column("", 2), Table.Column("", 3)], rows: rows.map { [.runs([.bold($0.0)]), .text($0.1)] },
              width: width, hasHeader: false, shadeFirstColumn: true)
    }

    /// The key figures, as in the HTML report's cards and tables.
    static func kpis(_ kpis: KPIs) -> [WordDocument.Block] {
        var blocks: [WordDocument.Block] = [.heading(level: 1, text: "Key figures")]
        blocks.append(.table(Table(
            columns: [Table.Column("framework", 4), Table.Column("assessed", 4, .right), Table.Column("compliant", 3, .right),
                      Table.Column("partially", 3, .right), Table.Column("non-compliant", 3, .right), Table.Column("not applicable", 3, .right)],
            rows: kpis.frameworks.map { f in
                [.runs([.bold(f.name)]), .text("\(f.assessed) of \(f.requirements) (\(Format.percent(f.assessedPercent)))"),
                 .text(Format.percent(f.compliantPercent)), .text(Format.percent(f.partiallyCompliantPercent)),
                 .text(Format.percent(f.nonCompliantPercent)), .text(Format.percent(f.notApplicablePercent))]
            })))
        let c = kpis.crosswalk, r = kpis.risks, f = kpis.findings
        let levels = r.levelsWorstFirst.map { "\($0.name) \($0.count)" }.joined(separator: ", ")
        let severities = f.severitiesWorstFirst.map { "\($0.name) \($0.count)" }.joined(separator: ", ")
        blocks.append(.table(facts([
            ("Crosswalk rows assessed at both ends", "\(c.bothAssessed) of \(c.rows); agree \(c.agree) (\(Format.percent(c.agreePercent))), disagree \(c.disagree) (\(Format.percent(c.disagreePercent)))"),
            ("Risks identified / mitigated / open", "\(r.identified) / \(r.mitigated) / \(r.open); by level \(levels)" + (r.acceptanceSentence.map { "; \($0)" } ?? "")),
            ("Open findings", "\(f.open)" + (severities.isEmpty ? "" : " (\(severities))") + "; \(f.closed) closed, \(f.overdue) overdue"),
            ("Evidence files", "\(kpis.evidence.files), of which \(kpis.evidence.unverified) unverified" + (kpis.evidence.staleSentence.map { ", \($0)" } ?? "")),
        ] + (kpis.requests.map { [("Evidence requests", $0.sentence)] } ?? []) + (kpis.fieldwork.map { [("Fieldwork", $0.sentence)] } ?? []))))
        if !f.overdueFindings.isEmpty {
            blocks.append(.heading(level: 2, text: "Overdue corrective actions"))
            blocks.append(.table(Table(
                columns: [Table.Column("finding", 6), Table.Column("due", 2), Table.Column("owner", 3)],
                rows: f.overdueFindings.map { [.text($0.title), .runs([Run(text: $0.due, colour: "A4161A")]), .text($0.owner)] })))
        }
        if let overdue = kpis.requests?.overdueRequests, !overdue.isEmpty {
            blocks.append(.heading(level: 2, text: "Overdue evidence requests"))
            blocks.append(.table(Table(
                columns: [Table.Column("request", 6), Table.Column("due", 2), Table.Column("from", 3)],
                rows: overdue.map { [.text($0.title), .runs([Run(text: $0.due, colour: "A4161A")]), .text($0.contact)] })))
        }
        if !c.disagreements.isEmpty {
            blocks.append(.heading(level: 2, text: "Where the frameworks' results disagree"))
            blocks.append(.table(Table(
                columns: [Table.Column("AI RMF", 3), Table.Column("result", 3), Table.Column("ISO/IEC 42001", 3), Table.Column("result", 3)],
                rows: c.disagreements.map { [.text($0.nistAIRMF), .runs([status($0.nistStatus)]), .text($0.iso42001), .runs([status($0.isoStatus)])] })))
        }
        return blocks
    }
}

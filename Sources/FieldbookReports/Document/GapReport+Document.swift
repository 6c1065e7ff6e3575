extension GapReport {
    /// The gap analysis's data as CSV carries it: a row per requirement, per roll-up and per key
    /// figure. The first part of the gap report drawn from `ReportDocument`; its Markdown, HTML
    /// and Word are still drawn by their own functions.
    var dataTable: ReportDocument.DataTable {
        let requirements: [[String?]] = rows.map { row in
            let from = row.inferred?.related.filter { $0.status != nil }.map { "\($0.requirement)=\($0.status!)" }.joined(separator: " ")
            return ["requirement", row.requirement, row.title, row.status ?? "not-assessed", row.maturity.map(String.init),
                    String(row.evidence), String(row.openFindings), String(row.risks), row.note, row.inferred?.signal, from,
                    row.applicability, row.justification, Self.findingsCell(row.findings), nil, nil]
        }
        let groups: [[String?]] = rollups.map { rollup in
            ["rollup", rollup.id, rollup.title, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, Self.findingsCell(rollup.findings),
             "assessed", "\(rollup.assessed)/\(rollup.requirements)"]
        }
        return .init(header: Self.dataHeader, rows: requirements + groups + CSVRenderer.kpiRows(kpis, width: Self.dataHeader.count))
    }

    static let dataHeader = ["section", "id", "title", "status", "maturity", "evidence", "open_findings", "risks", "note",
                             "inferred_signal", "inferred_from", "applicability", "justification", "findings", "metric", "value"]

    /// Findings in one cell: `severity:status:title`, `; `-separated.
    static func findingsCell(_ findings: [FindingReference]) -> String? {
        findings.isEmpty ? nil : findings.map { "\($0.severity ?? "unrated"):\($0.status)\($0.overdue ? ":overdue" : ""):\($0.title)" }.joined(separator: "; ")
    }
}

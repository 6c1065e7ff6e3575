/// RFC 4180 CSV: one rectangular table whose first column says what a row is
/// (`requirement`, `rollup`, `kpi`, `risk`, `heat`), so any CSV reader takes it whole.
/// CSV carries data for spreadsheets, so it has no title block: its first line is the header
/// every reader expects; the title block is in every other format.
enum CSVRenderer {
    static func field(_ value: String?) -> String {
        guard let value else { return "" }
        let needsQuotes = value.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        // A leading = + - @ (or a tab or carriage return before one) would be run as a formula
        // by spreadsheet software (OWASP's CSV injection list).
        let safe = value.first.map { "=+-@\t\r".contains($0) } == true ? "'" + value : value
        return needsQuotes || safe != value ? "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }

    static func line(_ values: [String?]) -> String { values.map(field).joined(separator: ",") }

    static func kpiRows(_ kpis: KPIs, width: Int) -> [[String?]] {
        var metrics: [(String, String)] = []
        for f in kpis.frameworks {
            metrics += [("\(f.framework).assessed_percent", "\(f.assessedPercent)"), ("\(f.framework).compliant_percent", "\(f.compliantPercent)"),
                        ("\(f.framework).partially_compliant_percent", "\(f.partiallyCompliantPercent)"),
                        ("\(f.framework).non_compliant_percent", "\(f.nonCompliantPercent)")]
        }
        metrics += [("crosswalk.both_assessed", "\(kpis.crosswalk.bothAssessed)"), ("crosswalk.agree_percent", "\(kpis.crosswalk.agreePercent)"),
                    ("crosswalk.disagree_percent", "\(kpis.crosswalk.disagreePercent)"), ("risks.identified", "\(kpis.risks.identified)"),
                    ("risks.mitigated", "\(kpis.risks.mitigated)"), ("findings.open", "\(kpis.findings.open)"), ("findings.overdue", "\(kpis.findings.overdue)"),
                    ("evidence.unverified", "\(kpis.evidence.unverified)")]
        metrics += kpis.risks.levelsWorstFirst.map { ("risks.level.\($0.name)", "\($0.count)") }
        if let unaccepted = kpis.risks.unaccepted { metrics.append(("risks.above_acceptance_unaccepted", "\(unaccepted)")) }
        metrics += kpis.findings.severitiesWorstFirst.map { ("findings.open.\($0.name)", "\($0.count)") }
        if let stale = kpis.evidence.stale { metrics.append(("evidence.stale", "\(stale)")) }
        if let requests = kpis.requests {
            metrics += [("requests.outstanding", "\(requests.outstanding)"), ("requests.overdue", "\(requests.overdue)"),
                        ("requests.received", "\(requests.received)"), ("requests.accepted", "\(requests.accepted)")]
        }
        if let fieldwork = kpis.fieldwork {
            metrics += [("fieldwork.tests", "\(fieldwork.tests)"), ("fieldwork.tests_with_exceptions", "\(fieldwork.withExceptions)"),
                        ("fieldwork.items_tested", "\(fieldwork.itemsTested)"), ("fieldwork.exceptions", "\(fieldwork.exceptions)"),
                        ("fieldwork.interviews", "\(fieldwork.interviews)")]
        }
        return metrics.map { ["kpi"] + Array(repeating: nil, count: width - 3) + [$0.0, $0.1] }
    }



    /// A document's data table.
    static func draw(_ document: ReportDocument) -> String { draw(document.data) }

    static func draw(_ data: ReportDocument.DataTable) -> String {
        ([line(data.header)] + data.rows.map(line)).map { $0 + "\r\n" }.joined()
    }
}

/// Markdown for pasting into a report or reading in a terminal.
enum MarkdownRenderer {
    static func findings(_ register: FindingsRegister) -> String { "" }
    static func cell(_ text: String?) -> String {
        (text ?? "").replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    static func kpis(_ kpis: KPIs) -> [String] {
        var lines = ["## Key figures", "", "| framework | assessed | compliant | partially | non-compliant | not applicable |", "|---|---|---|---|---|---|"]
        for f in kpis.frameworks {
            lines.append("| \(f.framework) | \(f.assessed)/\(f.requirements) (\(Format.percent(f.assessedPercent))) | \(Format.percent(f.compliantPercent)) | \(Format.percent(f.partiallyCompliantPercent)) | \(Format.percent(f.nonCompliantPercent)) | \(Format.percent(f.notApplicablePercent)) |")
        }
        let c = kpis.crosswalk
        lines += ["", "Crosswalk rows with both ends assessed: \(c.bothAssessed) of \(c.rows); agree \(c.agree) (\(Format.percent(c.agreePercent))), disagree \(c.disagree) (\(Format.percent(c.disagreePercent))).",
                  "Risks: \(kpis.risks.identified) identified, \(kpis.risks.mitigated) mitigated, \(kpis.risks.open) open; by level " + kpis.risks.byLevel.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ".",
                  "Open findings: \(kpis.findings.open) (" + kpis.findings.openBySeverity.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "). Evidence files: \(kpis.evidence.files), unverified \(kpis.evidence.unverified)."]
        if !kpis.findings.overdueFindings.isEmpty {
            lines += ["", "### Overdue corrective actions", "", "| finding | due | owner |", "|---|---|---|"]
            lines += kpis.findings.overdueFindings.map { "| \(cell($0.title)) | \($0.due) | \(cell($0.owner)) |" }
        }
        if !c.disagreements.isEmpty {
            lines += ["", "### Where the frameworks' results disagree", "", "| AI RMF | result | ISO/IEC 42001 | result |", "|---|---|---|---|"]
            lines += c.disagreements.map { "| \($0.nistAIRMF) | \($0.nistStatus) | \($0.iso42001) | \($0.isoStatus) |" }
        }
        return lines
    }

    static func gap(_ report: GapReport) -> String {
        var lines = ["# Gap analysis: \(cell(report.frameworkName))", "", "Engagement: \(cell(report.engagement))", ""]
        lines += kpis(report.kpis)
        lines += ["", "## Roll-up", "", "| group | assessed | compliant | partially | non-compliant | n/a |", "|---|---|---|---|---|---|"]
        lines += report.rollups.map { "| \($0.id) \(cell($0.title)) | \($0.assessed)/\($0.requirements) | \($0.compliant) | \($0.partiallyCompliant) | \($0.nonCompliant) | \($0.notApplicable) |" }
        lines += ["", "## Requirements", "", "| requirement | status | maturity | evidence | open findings | risks | note |", "|---|---|---|---|---|---|---|"]
        for row in report.rows {
            lines.append("| \(row.requirement) | \(row.status ?? "not assessed")\(row.conflicted ? " (conflict)" : "") | \(row.maturity.map(String.init) ?? "") | \(row.evidence) | \(row.openFindings) | \(row.risks) | \(cell(row.note)) |")
        }
        let inferred = report.rows.filter { $0.inferred != nil && $0.inferred?.signal != "no-signal" }
        if !inferred.isEmpty {
            lines += ["", "## Inferred through the crosswalk (not assessed, suggestions only)", ""]
            for row in inferred {
                guard let inference = row.inferred else { continue }
                let from = inference.related.filter { $0.status != nil }.map { "\($0.requirement) \($0.status!) (\($0.relationship))" }
                lines.append("- \(row.requirement): \(inference.summary). From: \(from.joined(separator: "; ")).")
                if !inference.availableEvidence.isEmpty {
                    lines.append("  Evidence available: " + inference.availableEvidence.map { "\($0.filename ?? $0.evidence) (via \($0.via))" }.joined(separator: ", "))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func risks(_ register: RiskRegister) -> String {
        var lines = ["# Risk register", "", "Engagement: \(cell(register.engagement))", "", "| level | score | L | I | risk | owner | treatment | status |", "|---|---|---|---|---|---|---|---|"]
        lines += register.risks.map { "| \($0.level) | \($0.score) | \($0.likelihood) | \($0.impact) | \(cell($0.title)) | \(cell($0.owner)) | \($0.treatment ?? "") | \($0.status ?? "") |" }
        lines += ["", "## Heat map (likelihood down, impact across)", "", "| L \\ I | 1 | 2 | 3 | 4 | 5 |", "|---|---|---|---|---|---|"]
        for likelihood in (1...5).reversed() {
            lines.append("| \(likelihood) | " + register.heatMap[likelihood - 1].map(String.init).joined(separator: " | ") + " |")
        }
        lines += [""] + kpis(register.kpis)
        return lines.joined(separator: "\n") + "\n"
    }

    static func soa(_ soa: StatementOfApplicability) -> String {
        let s = soa.summary
        var lines = ["# Statement of Applicability (ISO/IEC 42001:2023, 6.1.3)", "", "Engagement: \(cell(soa.engagement))", "",
                     "\(s.controls) Annex A controls: \(s.included) included (\(s.implemented) implemented), \(s.excluded) excluded, \(s.undecided) undecided.", "",
                     "| control | applicability | justification | implementation | evidence | AI RMF (crosswalk) |", "|---|---|---|---|---|---|"]
        for control in soa.controls {
            let related = control.aiRMF.map { "\($0.requirement.replacingOccurrences(of: "nist-ai-rmf:", with: ""))\($0.status.map { " (\($0))" } ?? "")" }.joined(separator: ", ")
            lines.append("| \(control.ref) \(cell(control.title)) | \(control.applicability)\(control.conflicted ? " (conflict)" : "") | \(cell(control.justification)) | \(control.implementation ?? "not assessed") | \(control.evidence.count) | \(related) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func progress(_ report: ProgressReport) -> String {
        var lines = ["# Progress by \(report.by)", "", "Engagement: \(cell(report.engagement))", "",
                     "| period | gaps opened | gaps closed | open gaps | assessed |", "|---|---|---|---|---|"]
        lines += report.periods.map { "| \($0.period) | \($0.gapsOpened) | \($0.gapsClosed) | \($0.openGaps) | \($0.assessed)/\(report.requirements) (\(Format.percent($0.assessedPercent))) |" }
        let h = report.highRisks
        lines += ["", "High and critical risks: \(h.logged) logged, \(h.mitigated) mitigated, \(h.stillOpen) still open; "
                  + "days from logging to mitigation: mean \(h.meanDaysToMitigate.map { String($0) } ?? "-"), worst \(h.worstDaysToMitigate.map { String($0) } ?? "-")."]
        return lines.joined(separator: "\n") + "\n"
    }
}

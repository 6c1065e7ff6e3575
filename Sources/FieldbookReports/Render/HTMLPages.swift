import FieldbookModel

// What the HTML templates (`Templates/*.mustache`) read: the report itself, plus what a
// logic-less template cannot work out (percentages as text, a default for a missing result,
// chart geometry). Markup and escaping stay in the templates.
//
// Inside a section, Mustache looks a name it cannot find, or whose value is nil, up in the
// enclosing objects; so the templates read an optional value through a path (`row.note`) or
// with a leading dot (`.owner`), which look in the current object only, and a nil renders empty.

/// The gap analysis: `gap.mustache`.
struct GapPage {
    struct Rollup {
        let group: GapReport.Rollup
        /// The group's indentation in rem, deeper groups further right.
        let indent: String
    }

    struct Requirement {
        let row: GapReport.Row
        /// The result; `excluded` for an excluded control nobody assessed, else `not-assessed` when none is recorded.
        let status: String
        /// For an excluded control: its justification, or a word that none is recorded.
        let exclusion: String?
        /// What the crosswalk suggests, when it suggests anything.
        let inference: Inference?
    }

    struct Inference {
        let summary: String
        /// The related requirements that carry a result.
        let assessedRelated: [GapReport.Related]
        /// File names (or ids) of the evidence linked to the related requirements.
        let evidence: [String]
        /// Chains through mapping sets, one line each: grade, then row by row.
        let paths: [String]
    }

    let report: GapReport
    let kpis: KPIsView
    let rollups: [Rollup]
    let rows: [Requirement]

    init(_ report: GapReport) {
        self.report = report
        kpis = KPIsView(report.kpis)
        rollups = report.rollups.map { Rollup(group: $0, indent: "\(0.45 + Double($0.depth) * 1.4)") }
        rows = report.rows.map { row in
            let inference = row.inferred.flatMap { inferred in
                inferred.signal == CrosswalkInference.Signal.noSignal.rawValue ? nil
                    : Inference(summary: inferred.summary, assessedRelated: inferred.related.filter { $0.status != nil },
                                evidence: inferred.availableEvidence.map { $0.filename ?? $0.evidence },
                                paths: (inferred.paths ?? []).map { path in
                                    "\(path.coverage): " + path.hops.map { "\($0.from) \($0.relationship) \($0.to)" }.joined(separator: " → ")
                                })
            }
            return Requirement(row: row, status: row.status ?? (row.excluded ? Applicability.excluded.rawValue : AssessmentStatus.notAssessed.rawValue),
                               exclusion: row.excluded ? (row.justification ?? "no justification recorded") : nil, inference: inference)
        }
    }
}

/// The key figures: `kpis.mustache`, shown in the gap report and the risk register.
struct KPIsView {
    struct Framework {
        let figures: KPIs.FrameworkFigures
        let assessedPercent: String
        let compliantPercent: String
        let partiallyCompliantPercent: String
        let nonCompliantPercent: String
    }

    let kpis: KPIs
    let frameworks: [Framework]
    let agreePercent: String
    let disagreePercent: String
    /// Stored, not computed: Mustache reads stored properties.
    let riskLevels: [KPIs.NamedCount]
    let openSeverities: [KPIs.NamedCount]

    init(_ kpis: KPIs) {
        self.kpis = kpis
        riskLevels = kpis.risks.levelsWorstFirst
        openSeverities = kpis.findings.severitiesWorstFirst
        frameworks = kpis.frameworks.map {
            Framework(figures: $0, assessedPercent: Format.percent($0.assessedPercent), compliantPercent: Format.percent($0.compliantPercent),
                      partiallyCompliantPercent: Format.percent($0.partiallyCompliantPercent),
                      nonCompliantPercent: Format.percent($0.nonCompliantPercent))
        }
        agreePercent = Format.percent(kpis.crosswalk.agreePercent)
        disagreePercent = Format.percent(kpis.crosswalk.disagreePercent)
    }
}

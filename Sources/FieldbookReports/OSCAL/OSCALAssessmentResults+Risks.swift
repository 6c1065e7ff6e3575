import FieldbookModel
import FieldbookStore

// Risks in OSCAL's own terms: likelihood, impact and their level are the facets of one
// characterization, whose origin is the assessor who last recorded the risk; the risk relates
// the observations it rests on (the results of its requirements and the evidence behind them).
extension OSCALAssessmentResults {
    static func risk(_ risk: FieldbookStore.Risk, in data: ReportData, observed: Set<String>, uuid: (String) -> String) -> Risk {
        let status: String = switch risk.status {
        case .closed?: "closed"
        case .mitigated?: "remediating"
        default: "open"
        }
        func rated(_ value: Int?) -> String { value.map { "\($0) of 5" } ?? "not rated" }
        let level = risk.level.map { " (\($0.rawValue))" } ?? ""
        return Risk(uuid: uuid("risk:\(risk.id.rawValue)"), title: risk.title ?? "Risk",
                    description: risk.description ?? risk.title ?? "Risk",
                    statement: "Likelihood \(rated(risk.likelihood)), impact \(rated(risk.impact))\(level);"
                        + " treatment \(risk.treatment?.rawValue ?? "not decided").",
                    props: treatmentProps(of: risk, in: data).nonEmpty,
                    status: status, characterizations: characterization(of: risk, in: data, uuid: uuid).map { [$0] },
                    remediations: remediation(of: risk, uuid: uuid).map { [$0] },
                    relatedObservations: relatedObservations(of: risk, in: data, observed: observed, uuid: uuid).nonEmpty)
    }

    /// What is left after treatment and who accepted it, only what is recorded.
    private static func treatmentProps(of risk: FieldbookStore.Risk, in data: ReportData) -> [FieldbookProp] {
        var props: [FieldbookProp] = []
        if let residual = risk.residualRating {
            props += [FieldbookProp(name: "residual-likelihood", value: String(residual.likelihood)),
                      FieldbookProp(name: "residual-impact", value: String(residual.impact)),
                      FieldbookProp(name: "residual-level", value: residual.level.rawValue)]
        }
        if let by = risk.acceptedBy { props.append(FieldbookProp(name: "accepted-by", value: by)) }
        if let on = risk.acceptedOn { props.append(FieldbookProp(name: "accepted-on", value: on)) }
        if risk.lacksAcceptance(at: data.riskAcceptanceLevel), let level = data.riskAcceptanceLevel {
            props.append(FieldbookProp(name: "acceptance-needed", value: "true", remarks: "Above the engagement's risk acceptance level (\(level.rawValue)) with no acceptance recorded."))
        }
        return props
    }

    /// The treatment as a risk response: the option and the controls implementing it (ISO/IEC
    /// 42001 6.1.3), planned until the risk is mitigated or closed. None while neither is recorded.
    private static func remediation(of risk: FieldbookStore.Risk, uuid: (String) -> String) -> Remediation? {
        guard risk.treatment != nil || !risk.treatedBy.isEmpty else { return nil }
        let option = risk.treatment?.rawValue ?? "not decided"
        let controls = risk.treatedBy.isEmpty ? "no control named yet" : "through " + risk.treatedBy.joined(separator: ", ")
        let props = [risk.treatment.map { FieldbookProp(name: "treatment", value: $0.rawValue) }].compactMap { $0 }
            + risk.treatedBy.map { FieldbookProp(name: "treated-by", value: OSCALToken.control($0)) }
        return Remediation(uuid: uuid("treatment:\(risk.id.rawValue)"), lifecycle: risk.status == .mitigated || risk.status == .closed ? "completed" : "planned",
                           title: "Treatment: \(option)", description: "Treatment option \(option), \(controls).", props: props.nonEmpty)
    }

    /// Facets in Fieldbook's namespace (1 to 5 scales, and the register's level), only those
    /// recorded. The origin is the assessor who last changed the risk (the record keeps no
    /// author per field); every assessor when that name is unknown; none when the engagement
    /// names no assessor, since OSCAL wants an actor behind each characterization.
    private static func characterization(of risk: FieldbookStore.Risk, in data: ReportData, uuid: (String) -> String) -> Characterization? {
        var facets: [Facet] = []
        if let likelihood = risk.likelihood { facets.append(Facet(name: "likelihood", value: String(likelihood))) }
        if let impact = risk.impact { facets.append(Facet(name: "impact", value: String(impact))) }
        if let level = risk.level { facets.append(Facet(name: "level", value: level.rawValue)) }
        let recorders = data.assessors.contains(risk.updatedBy) ? [risk.updatedBy] : data.assessors
        guard !facets.isEmpty, !recorders.isEmpty else { return nil }
        return Characterization(origin: Origin(actors: recorders.map { Actor(type: "party", actorUUID: uuid("party:\($0)"), roleID: "assessor") }),
                                facets: facets)
    }

    /// The result observations of the requirements the risk links to, then the observations of
    /// evidence linked to those requirements; each once, and only observations in the document.
    private static func relatedObservations(of risk: FieldbookStore.Risk, in data: ReportData, observed: Set<String>,
                                            uuid: (String) -> String) -> [RelatedObservation] {
        let requirements = risk.requirements.compactMap(RequirementID.init(qualified:))
        let results = requirements.map { uuid("result:\($0.qualified)") }
        let evidence = requirements.flatMap { data.evidence(linkedTo: $0) }.map { uuid("evidence:\($0.id.rawValue)") }
        var seen = Set<String>()
        return (results + evidence).filter { observed.contains($0) && seen.insert($0).inserted }.map(RelatedObservation.init)
    }
}

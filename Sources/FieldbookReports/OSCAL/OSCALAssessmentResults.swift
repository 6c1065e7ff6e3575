import FieldbookModel
import FieldbookStore
import Foundation

/// The engagement as an OSCAL 1.1 assessment-results document (validated against NIST's
/// JSON schema in tests): one result; each assessed requirement is a finding whose target
/// is the requirement; each evidence file a back-matter resource with its SHA-256 and an
/// observation; each risk an OSCAL risk; each nonconformity a finding related to its risks.
/// It states only what the data supports: see docs/architecture.md, "OSCAL".
///
/// OSCAL wants version 4 or 5 UUIDs and tokens that start with a letter, so Fieldbook ids
/// are mapped: UUIDs are name-based (version 5) from the engagement and the entity id, so
/// the same entity keeps the same OSCAL UUID in every export; requirement ids become
/// `iso42001_A.6.2.4`, `nist-ai-rmf_GOVERN-1.1`. Times are the content's own (the newest
/// change), never the time of export, so two exports of one state are byte-identical.
///
/// Every reference resolves inside the document: finding targets are among the reviewed
/// controls, `import-ap` and evidence hrefs name back-matter resources, related observations
/// are observations, actors and responsible parties name parties.
public enum OSCALAssessmentResults {
    public static func document(_ data: ReportData) -> Document {
        let ns = data.engagementID
        func uuid(_ name: String) -> String { NameUUID.make(namespace: ns, name: name) }
        func token(_ requirement: String) -> String { OSCALToken.control(requirement) }
        let asOf = Timestamps.rfc3339(data.latestChange)

        let evidenceByID = Dictionary(data.evidence.map { ($0.id.rawValue, $0) }, uniquingKeysWith: { first, _ in first })
        var observations = data.evidence.map { evidenceObservation($0, in: data, uuid: uuid) }
            + data.interviews.map { interviewObservation($0, uuid: uuid) } + data.tests.map { testObservation($0, in: data, uuid: uuid) }
        // Excluded from the review: Annex A controls the Statement of Applicability excludes, and
        // requirements assessed not applicable; a nonconformity's target is reviewed whatever.
        let excluded = Set(data.applicability.filter { $0.value.applicability == .excluded }.map(\.key))
            .union(data.results.filter { $0.value.status == .notApplicable }.map(\.key))
        let nonconformities = data.findings.filter(\.isNonconformity)
        let targeted = Set(nonconformities.flatMap { targets(of: $0, in: data).map(\.id) })
        var findings: [Finding] = []
        for catalog in data.library.frameworks {
            for requirement in catalog.assessable {
                guard let result = data.results[requirement.id], let status = result.status, status.isAssessed else { continue }
                let evidence = data.evidence(linkedTo: requirement.id)
                let resultObservation = uuid("result:\(requirement.id.qualified)")
                // Fieldbook records no method of its own; linked files were examined, interviews and
                // sampled tests are their methods, and without any the honest method is UNKNOWN.
                observations.append(Observation(
                    uuid: resultObservation, title: "Assessment of \(requirement.ref)", description: result.note ?? "Assessed \(status.rawValue).",
                    props: [Prop(name: "maturity", value: result.maturity.map(String.init) ?? "not-rated")],
                    methods: methods(of: requirement.id, in: data), types: ["control-objective"],
                    relevantEvidence: evidence.map { evidenceLink($0, in: data, uuid: uuid) }.nonEmpty,
                    collected: Timestamps.rfc3339(result.updated),
                    remarks: (["Recorded by \(result.updatedBy)."]
                        + [applicabilityRemark(requirement.id, in: data, targeted: targeted.contains(requirement.id))].compactMap { $0 })
                        .joined(separator: " ")))
                // Not applicable is no judgement of satisfaction, and a control the SoA excludes is
                // outside the assessment: neither gets a finding (one on a control in exclude-controls
                // would contradict it); the observation keeps what was recorded.
                guard status != .notApplicable, !data.isExcluded(requirement.id) else { continue }
                findings.append(Finding(
                    uuid: uuid("finding:\(requirement.id.qualified)"), title: "\(requirement.ref): \(status.rawValue)",
                    description: "\(requirement.headline). Result: \(status.rawValue).",
                    target: Target(type: "objective-id", targetID: token(requirement.id.qualified), title: requirement.headline,
                                   status: resultStatus(of: requirement.id, status, in: data),
                                   implementationStatus: implementation(of: requirement.id, status, in: data)),
                    relatedObservations: [RelatedObservation(observationUUID: resultObservation)]
                        + evidence.map { RelatedObservation(observationUUID: uuid("evidence:\($0.id.rawValue)")) }
                        + fieldworkObservations(of: requirement.id, in: data, uuid: uuid)
                        + data.findings(linkedTo: requirement.id).filter { !$0.isNonconformity }
                            .map { RelatedObservation(observationUUID: uuid("graded-observation:\($0.id.rawValue)")) },
                    relatedRisks: data.risks(linkedTo: requirement.id).map { RelatedRisk(riskUUID: uuid("risk:\($0.id.rawValue)")) }.nonEmpty))
            }
        }
        // A nonconformity on several requirements is one OSCAL finding per requirement (a finding
        // has one target); its status follows `nonconformityStatus`.
        // A nonconformity may name a clause or a whole function (9.2, GV): auditors raise them
        // against a clause as a whole, so the finding is carried with that id as its target, and
        // the id joins the reviewed controls so the target resolves.
        // Observations and opportunities for improvement are no nonconformities: OSCAL
        // observations, which keep no target unsatisfied.
        observations += data.findings.filter { !$0.isNonconformity }.map { gradedObservation($0, in: data, uuid: uuid) }
        for nonconformity in nonconformities {
            let entries = targets(of: nonconformity, in: data)
            let unresolved = nonconformity.requirements.filter { text in !entries.contains { $0.id.qualified == text } }
            let description = Self.description(of: nonconformity) ?? "Nonconformity (\(nonconformity.severity?.rawValue ?? "unrated"))."
            let props = Self.props(of: nonconformity)
            let verificationEvidence = nonconformity.verificationEvidence.filter { evidenceByID[$0] != nil }
                .map { RelatedObservation(observationUUID: uuid("evidence:\($0)")) }.nonEmpty
            let unknown = unresolved.isEmpty ? nil : "Also linked to \(unresolved.joined(separator: ", ")), which no bundled catalog defines."
            // An OSCAL finding must target a control; a nonconformity linked to none the catalogs
            // define (its links all removed, or ids from other catalogs) is kept as an
            // observation of type finding rather than given a target that resolves to nothing.
            if entries.isEmpty {
                observations.append(Observation(
                    uuid: uuid("nonconformity:\(nonconformity.id.rawValue)"), title: nonconformity.title ?? "Nonconformity",
                    description: description, props: props, methods: ["UNKNOWN"], types: ["finding"], relevantEvidence: nil,
                    collected: Timestamps.rfc3339(nonconformity.created),
                    remarks: "A nonconformity linked to no requirement a bundled catalog defines"
                        + (unresolved.isEmpty ? "." : " (linked to \(unresolved.joined(separator: ", "))).")))
                continue
            }
            for entry in entries {
                let target = entry.id.qualified
                let scope = Self.scope(of: entry, in: data, excluded: excluded)
                findings.append(Finding(
                    uuid: uuid(nonconformity.requirements.count == 1 ? "nonconformity:\(nonconformity.id.rawValue)"
                                   : "nonconformity:\(nonconformity.id.rawValue):\(target)"),
                    title: nonconformity.title ?? "Nonconformity", description: description, props: props, remarks: unknown,
                    target: Target(type: "objective-id", targetID: token(target), title: nonconformity.title,
                                   status: nonconformityStatus(nonconformity, met: scope.met),
                                   props: scope.covers.map { Prop(name: "covers", value: token($0.qualified)) }.nonEmpty,
                                   remarks: scope.remarks),
                    relatedObservations: verificationEvidence,
                    relatedRisks: data.risks(linkedTo: entry.id).map(\.id).sorted()
                        .map { RelatedRisk(riskUUID: uuid("risk:\($0.rawValue)")) }.nonEmpty))
            }
        }
        // AI systems are the assessment's subjects: components of the result; each impact
        // assessment is an observation about the systems it names.
        let components = data.systems.map { system -> Component in
            let state: String = switch system.stage {
            case .deployed?: "operational"
            case .retired?: "disposition"
            case nil: "other"
            default: "under-development"
            }
            return Component(uuid: uuid("system:\(system.id.rawValue)"), type: "software", title: system.name ?? "AI system",
                             description: system.purpose ?? "AI system \(system.name ?? system.id.rawValue)",
                             props: [Prop(name: "risk-tier", value: system.riskTier?.rawValue ?? "unrated"),
                                     Prop(name: "in-scope", value: system.inScope == false ? "false" : "true")],
                             status: ComponentStatus(state: state))
        }
        for impact in data.impacts {
            let subjects = impact.systems.map { SubjectReference(subjectUUID: uuid("system:\($0)"), type: "component") }
            let evidence = impact.evidence.compactMap { evidenceByID[$0] }
            // No OSCAL observation type fits an impact assessment (it is no SSP issue, control
            // objective, mitigation, deficiency or past result), so it has none.
            observations.append(Observation(
                uuid: uuid("impact:\(impact.id.rawValue)"), title: "AI system impact assessment",
                description: impact.summary ?? "Impact assessment",
                props: [Prop(name: "severity", value: impact.severity.map(String.init) ?? "unrated"),
                        Prop(name: "likelihood", value: impact.likelihood.map(String.init) ?? "unrated")],
                methods: evidence.isEmpty ? ["UNKNOWN"] : ["EXAMINE"], types: nil,
                relevantEvidence: evidence.map { evidenceLink($0, in: data, uuid: uuid) }.nonEmpty, subjects: subjects.nonEmpty,
                collected: Timestamps.rfc3339(impact.created),
                remarks: [impact.affected.map { "Affected: \($0)" }, impact.societal.map { "Societal impact: \($0)" }]
                    .compactMap { $0 }.joined(separator: ". ").nonEmpty))
        }
        let observed = Set(observations.map(\.uuid))
        let risks = data.risks.map { risk($0, in: data, observed: observed, uuid: uuid) }
        let reviewed = reviewedControls(data, excluded: excluded, targeted: targeted)
        let times = data.results.values.map(\.updated) + data.risks.map(\.created)
        let result = Result(uuid: uuid("result"), title: "Fieldbook assessment: \(data.engagementName)",
                            description: "Assessment against NIST AI RMF 1.0 and ISO/IEC 42001:2023\(data.scope.map { "; scope: \($0)" } ?? "").",
                            start: times.min().map { Timestamps.rfc3339($0) } ?? asOf, end: asOf,
                            localDefinitions: components.isEmpty ? nil : LocalDefinitions(components: components),
                            reviewedControls: reviewed.controls,
                            observations: observations.isEmpty ? nil : observations, risks: risks.isEmpty ? nil : risks,
                            findings: findings.isEmpty ? nil : findings)
        let (roles, parties, responsible) = Self.parties(data, uuid: uuid)
        // Fieldbook has no separate assessment-plan document: the plan is the engagement (its
        // scope, the frameworks and the applicability decisions). OSCAL's way to import a plan
        // that is not a file of its own is `#uuid` of a back-matter resource, so the plan is
        // described there and import-ap points at it: the href resolves inside this document.
        let plan = Resource(
            uuid: uuid("assessment-plan"), title: "Assessment plan: \(data.engagementName)",
            description: "The engagement \(data.engagementName)\(data.scope.map { ", scope: \($0)" } ?? "")."
                + " Frameworks reviewed: \(data.library.frameworks.map { "\($0.name) (\($0.publication))" }.joined(separator: "; "))."
                + " \(reviewed.included) controls and requirements in review, \(reviewed.excluded) excluded.",
            props: [Prop(name: "engagement-id", value: data.engagementID)]
                + data.library.frameworks.map { Prop(name: "framework", value: $0.framework.rawValue) },
            remarks: data.applicability.isEmpty ? nil
                : "The Statement of Applicability's decisions and justifications are the props of the result's reviewed-controls selection.")
        return Document(assessmentResults: AssessmentResults(
            uuid: uuid("assessment-results"),
            // The version follows the content: the document control's revision.digest, equal on
            // converged replicas and new with any change; last-modified is the newest change.
            metadata: Metadata(title: "Assessment results: \(data.engagementName)", lastModified: asOf, version: data.document.version,
                               oscalVersion: "1.1.3", roles: roles, parties: parties, responsibleParties: responsible),
            importAP: ImportAP(href: "#\(plan.uuid)",
                               remarks: "Fieldbook keeps the plan in the engagement itself; the back-matter resource describes it."),
            results: [result],
            backMatter: BackMatter(resources: [plan] + data.evidence.map { evidenceResource($0, in: data, uuid: uuid) })))
    }

    /// The catalog entries a nonconformity names, in its order; ids no catalog defines are left out.
    private static func targets(of nonconformity: FieldbookStore.Finding, in data: ReportData) -> [Requirement] {
        nonconformity.requirements.compactMap { RequirementID(qualified: $0).flatMap { data.library.catalog($0.framework)[$0] } }
    }
}

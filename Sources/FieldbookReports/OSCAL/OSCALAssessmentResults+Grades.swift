import FieldbookModel
import FieldbookStore

// A finding as OSCAL carries it: its grade and where its corrective action stands as props, its
// correction, root cause and corrective action in the description. A nonconformity (major,
// minor, or not yet graded) is an OSCAL finding; an observation or an opportunity for
// improvement is an OSCAL observation.
extension OSCALAssessmentResults {
    /// The finding's props: its id, status, grade (`severity`), owner, due date, source, AI
    /// systems, and the verification of its effectiveness or the override that closed it without.
    static func props(of finding: FieldbookStore.Finding) -> [Prop] {
        var props = [Prop(name: "fieldbook-id", value: finding.id.rawValue),
                     Prop(name: "finding-status", value: finding.status?.rawValue ?? "open"),
                     Prop(name: "severity", value: finding.severity?.rawValue ?? "unrated")]
        if let owner = finding.owner { props.append(Prop(name: "owner", value: owner)) }
        if let due = finding.due { props.append(Prop(name: "due", value: due)) }
        if let source = finding.source { props.append(Prop(name: "source", value: source.rawValue)) }
        props += finding.systems.map { Prop(name: "ai-system", value: $0) }
        if let verification = finding.verification { props.append(Prop(name: "verification", value: verification.rawValue)) }
        if let verifier = finding.verifiedBy { props.append(Prop(name: "verified-by", value: verifier)) }
        if let date = finding.verifiedOn { props.append(Prop(name: "verified-on", value: date)) }
        if let reason = finding.closedWithoutVerification {
            props.append(Prop(name: "closed-without-verification", value: "true", remarks: reason))
        }
        return props
    }

    /// What was found and done about it, as sentences; nil when the finding records none of it.
    static func description(of finding: FieldbookStore.Finding) -> String? {
        [finding.description, finding.correction.map { "Correction: \($0)" }, finding.rootCause.map { "Root cause: \($0)" },
         finding.correctiveAction.map { "Corrective action: \($0)" }, finding.due.map { "Due \($0)" }]
            .compactMap { $0 }.joined(separator: ". ").nonEmpty
    }

    /// An observation or opportunity for improvement as an OSCAL observation. None of OSCAL's
    /// observation types fits either (neither is a finding to act on), so it has none; the
    /// requirements it was raised against are in its remarks, and their result findings relate to it.
    static func gradedObservation(_ finding: FieldbookStore.Finding, in data: ReportData, uuid: (String) -> String) -> Observation {
        let grade = finding.severity == .opportunityForImprovement ? "An opportunity for improvement" : "An observation"
        let raised = finding.requirements.isEmpty ? "." : ", raised against \(finding.requirements.joined(separator: ", "))."
        return Observation(uuid: uuid("graded-observation:\(finding.id.rawValue)"), title: finding.title ?? "Observation",
                           description: description(of: finding) ?? "\(grade).", props: props(of: finding), methods: ["UNKNOWN"],
                           types: nil, relevantEvidence: nil, collected: Timestamps.rfc3339(finding.created),
                           remarks: grade + ", not a nonconformity" + raised)
    }
}

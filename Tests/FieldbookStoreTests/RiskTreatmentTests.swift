import FieldbookModel
import FieldbookReplica
import FieldbookStore
import Testing

/// Risk treatment in the domain (issue 29): residual rating and acceptance derived once, the
/// treatment words of earlier releases read as ISO 31000's, and the contradiction rule.
struct RiskTreatmentTests {
    let bias = EntityID("0193a000-0000-7000-8000-0000000000b1")!
    let drift = EntityID("0193a000-0000-7000-8000-0000000000b2")!
    let control = RequirementID(framework: .iso42001, local: "A.6.2.4")

    private func addRisk(_ id: EntityID, _ title: String, to workspace: Workspace, _ configure: (inout EntityEdits<RiskField>) throws -> Void) throws {
        var edits = EntityEdits<RiskField>(id)
        try edits.set(.title, title)
        try configure(&edits)
        try workspace.domain.write(edits)
    }

    @Test("residual rating and the acceptance a risk needs are derived from its fields")
    func derivedFacts() throws {
        let temporary = try TemporaryWorkspace()
        try addRisk(bias, "Bias", to: temporary.workspace) { edits in
            try edits.set(.likelihood, 5)
            try edits.set(.impact, 4)
            try edits.set(.residualLikelihood, 2)
            try edits.set(.residualImpact, 3)
        }
        let risk = try #require(try temporary.workspace.entity(Risk.self, bias))
        #expect(risk.level == .critical && risk.residualRating?.level == .medium && risk.residualRating?.score == 6)
        // The residual level is judged, not the inherent one.
        #expect(risk.lacksAcceptance(at: .low))
        #expect(!risk.lacksAcceptance(at: .medium))
        #expect(!risk.lacksAcceptance(at: nil))
        // Without a residual rating, the inherent level is judged.
        #expect(RiskAcceptance.isNeeded(inherent: RiskRating(likelihood: 5, impact: 4), residual: nil, acceptanceLevel: .high))
        #expect(!RiskAcceptance.isMissing(inherent: RiskRating(likelihood: 5, impact: 4), residual: nil, acceptanceLevel: .high, acceptedBy: "CRO"))
        #expect(RiskAcceptance.isMissing(inherent: RiskRating(likelihood: 5, impact: 4), residual: nil, acceptanceLevel: .high, acceptedBy: " "))
    }

    @Test("a former treatment word from a peer is kept as stored and reads as its ISO 31000 option; re-asserting it writes nothing")
    func formerWords() throws {
        let temporary = try TemporaryWorkspace()
        try addRisk(bias, "Bias", to: temporary.workspace) { _ in }
        let ben = ChangeSigner()
        let change = ben.sign(Change(dot: Dot(site: ben.site, counter: 1), hlc: HLCTimestamp(wall: 1_700_000_000_000, logical: 0),
                                     author: "Ben", entity: bias, kind: .risk, field: RiskField.treatment.name, value: .enumCase("transfer")))
        _ = try temporary.workspace.apply(remote: [change])
        let risk = try #require(try temporary.workspace.entity(Risk.self, bias))
        #expect(risk.record.fields[RiskField.treatment.name] == .enumCase("transfer"))
        #expect(risk.treatment == .share)
        #expect(RiskTreatment(rawValue: "mitigate") == .modify && RiskTreatment(rawValue: "accept") == .retain)
        var edits = EntityEdits<RiskField>(bias, current: risk.record)
        try edits.set(.treatment, RiskTreatment.share)
        #expect(edits.isEmpty)
        try edits.set(.treatment, RiskTreatment.retain)
        #expect(edits.edits == [.set(bias, .risk, field: "treatment", .enumCase("retain"))])
    }

    @Test("residual figures outside 1 to 5 are refused as one sentence")
    func residualRange() throws {
        var edits = EntityEdits<RiskField>(bias)
        do {
            try edits.set(.residualImpact, 6)
            Issue.record("a residual impact of 6 was accepted")
        } catch {
            #expect(error.description == "Residual impact must be 1 to 5, not 6.")
        }
        #expect(edits.isEmpty)
    }

    @Test("an excluded control a live risk names in treated_by is a contradiction; a closed or deleted risk relies on nothing")
    func contradictions() throws {
        let temporary = try TemporaryWorkspace()
        let workspace = temporary.workspace
        try addRisk(bias, "Bias", to: workspace) { $0.link(.treatedBy, [control.qualified]) }
        try addRisk(drift, "Drift", to: workspace) { edits in
            edits.link(.treatedBy, [control.qualified])
            try edits.set(.status, RiskStatus.closed)
        }
        #expect(try workspace.domain.treatmentContradictions().isEmpty)
        var decision = EntityEdits<ApplicabilityField>(EntityID.applicability(for: control))
        try decision.set(.applicability, Applicability.excluded)
        try decision.set(.justification, "Not ours")
        try decision.set(.reason, ApplicabilityReason.business)
        try workspace.domain.write(decision)

        let found = try workspace.domain.treatmentContradictions()
        #expect(found.count == 1)
        #expect(found.first?.control == control && found.first?.risks == [bias])
        #expect(found.first?.problem == "iso42001:A.6.2.4 is excluded from the Statement of Applicability while risk 0193a000-0000-7000-8000-0000000000b1 (Bias) names it as a treating control")
        #expect(throws: StoreError.self) { try RiskTreatmentRules.refuseFinal(found) }
        _ = try workspace.domain.delete(bias.rawValue, kind: .risk)
        #expect(try workspace.domain.treatmentContradictions().isEmpty)
    }

    @Test("an acceptance is dated today when new; re-stating it writes nothing; another person's is a new one")
    func acceptance() throws {
        let temporary = try TemporaryWorkspace()
        var edits = EntityEdits<RiskField>(bias)
        try edits.set(.title, "Bias")
        try edits.accept(by: "CRO", on: nil, note: nil, today: "2026-12-01")
        try temporary.workspace.domain.write(edits)
        var risk = try #require(try temporary.workspace.entity(Risk.self, bias))
        #expect(risk.acceptedBy == "CRO" && risk.acceptedOn == "2026-12-01")
        var again = EntityEdits<RiskField>(bias, current: risk.record)
        try again.accept(by: "CRO", on: nil, note: nil, today: "2026-12-07")
        #expect(again.isEmpty)
        try again.accept(by: "Board", on: nil, note: "Until Q2", today: "2026-12-07")
        try temporary.workspace.domain.write(again)
        risk = try #require(try temporary.workspace.entity(Risk.self, bias))
        #expect(risk.acceptedBy == "Board" && risk.acceptedOn == "2026-12-07" && risk.acceptanceNote == "Until Q2")
    }

    @Test("short forms are the shortest unique prefixes of at least eight characters")
    func shortForms() {
        let ids = ["0193a3f2-aaaa", "0193a3f2-aabb", "0194ffff-0000"].map { EntityID($0)! }
        let forms = EntityID.shortForms(ids)
        #expect(forms[ids[0]] == "0193a3f2-aaa" && forms[ids[1]] == "0193a3f2-aab" && forms[ids[2]] == "0194ffff")
    }
}

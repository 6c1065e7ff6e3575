import Testing
import FieldbookModel

struct EntitySchemaTests {
    @Test("values inside the schema are accepted")
    func accepted() throws {
        try EntitySchema.validate(.enumCase("partially-compliant"), for: "status", in: .result)
        try EntitySchema.validate(.integer(0), for: "maturity", in: .result)
        try EntitySchema.validate(.integer(5), for: "likelihood", in: .risk)
        try EntitySchema.validate(.date("2028-02-29"), for: "due", in: .finding)
        try EntitySchema.validate(.link("iso42001:A.6.2.4"), for: "requirements", in: .evidence)
        try EntitySchema.validate(.text(String(repeating: "a", count: 64)), for: "sha256", in: .evidence)
    }

    @Test("findings are graded major, minor (nonconformities, as before), observation or opportunity for improvement")
    func findingGrades() throws {
        for grade in ["minor", "major", "observation", "opportunity-for-improvement"] {
            try EntitySchema.validate(.enumCase(grade), for: "severity", in: .finding)
        }
        #expect(FindingSeverity(rawValue: "major")?.isNonconformity == true && FindingSeverity(rawValue: "minor")?.isNonconformity == true)
        #expect(FindingSeverity.observation.isNonconformity == false && FindingSeverity.opportunityForImprovement.isNonconformity == false)
        try EntitySchema.validate(.enumCase("not-effective"), for: "verification", in: .finding)
        try EntitySchema.validate(.date("2027-01-10"), for: "verified_on", in: .finding)
        #expect(EntitySchema.fields(of: .finding)["verification_evidence"] == .linkSet(.entity(.evidence)))
        #expect(EntitySchema.isLabel("verified_by", in: .finding))
    }

    @Test("invalid values are refused with the field and what it allows", arguments: [
        (EntityKind.result, "maturity", FieldValue.integer(6), "maturity must be 0 to 5"),
        (.risk, "likelihood", .integer(0), "likelihood must be 1 to 5"),
        (.risk, "impact", .text("high"), "impact takes an integer value"),
        (.result, "status", .enumCase("done"), "status must be one of compliant, partially-compliant"),
        (.risk, "treatment", .enumCase("ignore"), "treatment must be one of modify, avoid, share, retain, mitigate, accept, transfer"),
        (.finding, "severity", .enumCase("critical"), "severity must be one of minor, major"),
        (.finding, "due", .date("2027-02-29"), "due must be a date written YYYY-MM-DD"),
        (.risk, "colour", .text("red"), "risk has no field 'colour'"),
        (.evidence, "requirements", .link("GV-1.1"), "not a fully qualified requirement id"),
        (.evidence, "sha256", .text("ABC"), "sha256 must be 64 lowercase hex digits"),
    ])
    func refused(kind: EntityKind, field: String, value: FieldValue, message: String) {
        do {
            try EntitySchema.validate(value, for: field, in: kind)
            Issue.record("\(kind).\(field) = \(value) was accepted")
        } catch {
            #expect(error.field == field)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test("risk levels follow likelihood x impact")
    func riskLevels() {
        #expect(RiskRating(likelihood: 1, impact: 4).level == .low)
        #expect(RiskRating(likelihood: 2, impact: 3).level == .medium)
        #expect(RiskRating(likelihood: 3, impact: 4).level == .high)
        #expect(RiskRating(likelihood: 5, impact: 4).level == .critical)
    }

    @Test("entity ids refuse empty, over-long and odd characters")
    func entityIDs() {
        #expect(EntityID("0193a3f2-7b7c-7d3e-8f00-aaaaaaaaaaaa") != nil)
        #expect(EntityID("") == nil)
        #expect(EntityID("../etc/passwd") == nil)
        #expect(EntityID(String(repeating: "a", count: 129)) == nil)
        #expect(EntityID.result(for: RequirementID(framework: .iso42001, local: "A.6.2.4")).rawValue == "result:iso42001:A.6.2.4")
        #expect(EntityID("result:nist-ai-rmf:GOVERN-1.1")?.resultRequirement?.local == "GOVERN-1.1")
    }
}

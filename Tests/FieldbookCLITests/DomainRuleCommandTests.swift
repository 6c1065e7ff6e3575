import FieldbookModel
import FieldbookReplica
import FieldbookTestSupport
import Foundation
import Testing

/// The domain's rules met through the real binary (issues 26 and 27): what a local write may not
/// do, refused in one sentence with nothing written; what a looser release sent, kept and shown.
struct DomainRuleCommandTests {
    @Test("a blank title, name or owner is refused with exit 1 and one sentence, and nothing is written")
    func blankLabels() throws {
        let ws = try CLIWorkspace(assessor: "Ana")
        try ws.expectRefusal(["risk", "add", "", "--likelihood", "3", "--impact", "3"], status: 1, mentioning: "Risk title is blank")
        try ws.expectRefusal(["risk", "add", "  ", "--likelihood", "3", "--impact", "3"], status: 1, mentioning: "Risk title is blank")
        try ws.expectRefusal(["risk", "add", "Bias", "--likelihood", "3", "--impact", "3", "--owner", " "], status: 1, mentioning: "Risk owner is blank")
        try ws.expectRefusal(["finding", "add", "", "--requirement", "6.1.4"], status: 1, mentioning: "Finding title is blank")
        try ws.expectRefusal(["system", "add", " "], status: 1, mentioning: "System name is blank")
        let risk = try ws.run("risk", "add", "Bias", "--likelihood", "3", "--impact", "3").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try ws.expectRefusal(["risk", "update", risk, "--title", ""], status: 1, mentioning: "Risk title is blank")
        let fresh = try CLIWorkspace(assessor: "Ana", initialize: false)
        let outcome = try fresh.run("init", "--engagement", " ", "--assessor", "Ana")
        #expect(outcome.status == 1 && !outcome.stderr.isEmpty)
    }

    @Test("what a looser release sends is kept, and status lists each rule it breaks as an anomaly")
    func receivedAnomalies() throws {
        let ws = try CLIWorkspace(assessor: "Ana")
        let engagement = try #require(try ws.run("status", "--json").json["engagement"] as? [String: Any])["id"] as? String
        let risk = EntityID("0193a000-0000-7000-8000-0000000000f1")!
        let bundle = ws.folder.appendingPathComponent("loose.fbbundle")
        try SyntheticBundle.write(to: bundle, engagement: try #require(engagement), edits: [
            .set(risk, .risk, field: "title", .text(" ")),
            .set(risk, .risk, field: "likelihood", .integer(2)),
            .set(EntityID.result(for: RequirementID(qualified: "nist-ai-rmf:GOVERN")!), .result, field: "status", .enumCase("compliant")),
            .set(EntityID.applicability(for: RequirementID(qualified: "iso42001:A.8.4")!), .applicability, field: "applicability",
                 .enumCase("excluded")),
        ])
        let imported = try ws.run("bundle", "import", bundle.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        let anomalies = try #require(try ws.run("status", "--json").json["anomalies"] as? [[String: Any]])
        #expect(Set(anomalies.compactMap { $0["problem"] as? String }) == [
            "Risk title is blank", "nist-ai-rmf:GOVERN is a function, which takes no result", "Excluding iso42001:A.8.4 needs a justification",
        ])
        #expect(try ws.run("status").stdout.contains("Anomaly     Risk title is blank (\(risk.rawValue), received from a peer"))
        // Fixed here, the anomaly is gone; a workspace without any prints no anomalies key.
        #expect(try ws.run("risk", "update", risk.rawValue, "--title", "Drift").status == 0)
        #expect(try ws.run("status", "--json").json["anomalies"].map { ($0 as? [Any])?.count } == 2)
        // A result a group holds is repaired where it stands: set back to not-assessed.
        #expect(try ws.run("assess", "GOVERN", "--result", "not-assessed").status == 0)
        #expect(try ws.run("status", "--json").json["anomalies"].map { ($0 as? [Any])?.count } == 1)
        try ws.expectRefusal(["assess", "MAP", "--result", "compliant"], status: 1, mentioning: "which takes no result")
        #expect(try CLIWorkspace(assessor: "Ben").run("status", "--json").json["anomalies"] == nil)
    }

    @Test("a result recorded on an excluded control, or a control excluded after its result, is kept with a note saying how it counts")
    func resultOnExcludedControl() throws {
        let ws = try CLIWorkspace(assessor: "Ana")
        #expect(try ws.run("applicability", "set", "A.8.4", "--excluded", "--justification", "No external reporting").status == 0)
        let assess = try ws.run("assess", "A.8.4", "--result", "compliant")
        #expect(assess.status == 0)
        #expect(assess.stderr.contains("Note: the Statement of Applicability excludes iso42001:A.8.4 (\"No external reporting\")"), "\(assess.stderr)")
        #expect(try ws.run("assess", "A.6.2.4", "--result", "compliant").stderr.isEmpty)
        let exclude = try ws.run("applicability", "set", "A.6.2.4", "--excluded", "--justification", "Out of scope")
        #expect(exclude.status == 0 && exclude.stderr.contains("iso42001:A.6.2.4 holds a result (compliant)"), "\(exclude.stderr)")
        // An exclusion keeps a justification that says something, however it is edited.
        try ws.expectRefusal(["applicability", "set", "A.6.2.4", "--excluded", "--justification", " "], status: 1,
                             mentioning: "Excluding iso42001:A.6.2.4 needs a justification")
        try ws.expectRefusal(["applicability", "set", "A.5.2", "--excluded"], status: 1, mentioning: "needs a justification")
        #expect(try ws.run("applicability", "set", "A.6.2.4", "--excluded").status == 0, "the recorded justification stands")
    }
}

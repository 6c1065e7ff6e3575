import Foundation
import Testing

/// What the OSCAL export says, not only that it validates (issue 18's trial): exclusions,
/// not-applicable, and nonconformities on several requirements or already closed.
@Suite struct OSCALContentTests {
    @Test("excluded and not-applicable controls are excluded, never 'satisfied'; a closed finding on two requirements targets both, not satisfied")
    func statesAndTargets() throws {
        let ws = try CLIWorkspace()
        #expect(try ws.run("applicability", "set", "A.10.3", "--excluded", "--justification", "No suppliers").status == 0)
        #expect(try ws.run("assess", "A.5.2", "--result", "not-applicable").status == 0)
        #expect(try ws.run("assess", "GV-1.2", "--result", "non-compliant").status == 0)
        #expect(try ws.run("assess", "A.6.2.4", "--result", "non-compliant").status == 0)
        #expect(try ws.run("assess", "GV-1.1", "--result", "compliant").status == 0)
        let finding = try ws.run("finding", "add", "No V&V sign-off", "--requirement", "GV-1.2", "--requirement", "A.6.2.4",
                                 "--severity", "major", "--owner", "Ops", "--due", "2026-03-01")
        #expect(finding.status == 0, "\(finding.stderr)")
        let id = finding.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try ws.run("finding", "close", id, "--override", "Accepted by the audit committee").status == 0)
        let file = ws.folder.appendingPathComponent("ar.json")
        #expect(try ws.run("export", "oscal", "-o", file.path).status == 0)
        let (status, output) = try ReportCommandTests.validateOSCAL(file)
        #expect(status == 0, "\(output)")

        let result = try #require((((try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])?["assessment-results"]
            as? [String: Any])?["results"] as? [[String: Any]])?.first)
        let selection = try #require(((result["reviewed-controls"] as? [String: Any])?["control-selections"] as? [[String: Any]])?.first)
        let included = Set(((selection["include-controls"] as? [[String: Any]]) ?? []).compactMap { $0["control-id"] as? String })
        let excluded = Set(((selection["exclude-controls"] as? [[String: Any]]) ?? []).compactMap { $0["control-id"] as? String })
        #expect(excluded == ["iso42001_A.10.3", "iso42001_A.5.2"])
        #expect(included.isDisjoint(with: excluded) && included.contains("iso42001_A.6.2.4"))

        let findings = try #require(result["findings"] as? [[String: Any]])
        func state(_ finding: [String: Any]) -> String? { ((finding["target"] as? [String: Any])?["status"] as? [String: Any])?["state"] as? String }
        func target(_ finding: [String: Any]) -> String? { (finding["target"] as? [String: Any])?["target-id"] as? String }
        #expect(!findings.contains { target($0) == "iso42001_A.5.2" }, "not applicable is no finding")
        #expect(findings.first { target($0) == "nist-ai-rmf_GOVERN-1.1" }.map(state) == "satisfied")
        let nonconformity = findings.filter { $0["title"] as? String == "No V&V sign-off" }
        #expect(Set(nonconformity.compactMap(target)) == ["nist-ai-rmf_GOVERN-1.2", "iso42001_A.6.2.4"])
        #expect(nonconformity.allSatisfy { state($0) == "not-satisfied" }, "closing the action does not make the requirements met")
        let props = (nonconformity.first?["props"] as? [[String: Any]]) ?? []
        #expect(props.contains { $0["name"] as? String == "severity" && $0["value"] as? String == "major" && $0["ns"] as? String == "urn:fieldbook:oscal" })
        #expect(props.contains { $0["name"] as? String == "finding-status" && $0["value"] as? String == "closed" })
        #expect(props.contains { $0["name"] as? String == "owner" } && props.contains { $0["name"] as? String == "due" })
    }
}

extension OSCALContentTests {
    @Test("a finding on an excluded control makes it reviewed, with a remark; a finding linked to nothing is an observation, not a dangling target")
    func findingOnExcludedControl() throws {
        let ws = try CLIWorkspace()
        #expect(try ws.run("applicability", "set", "A.10.3", "--excluded", "--justification", "No suppliers").status == 0)
        #expect(try ws.run("finding", "add", "Suppliers exist after all", "--requirement", "A.10.3").status == 0)
        let unlinked = try ws.run("finding", "add", "Loose end", "--requirement", "A.6.2.4").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try ws.run("finding", "update", unlinked, "--unlink", "A.6.2.4").status == 0)
        let file = ws.folder.appendingPathComponent("ar.json")
        #expect(try ws.run("export", "oscal", "-o", file.path).status == 0)
        let (status, output) = try ReportCommandTests.validateOSCAL(file)
        #expect(status == 0, "\(output)")
        let result = try #require((((try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])?["assessment-results"]
            as? [String: Any])?["results"] as? [[String: Any]])?.first)
        let selection = try #require(((result["reviewed-controls"] as? [String: Any])?["control-selections"] as? [[String: Any]])?.first)
        let included = Set(((selection["include-controls"] as? [[String: Any]]) ?? []).compactMap { $0["control-id"] as? String })
        #expect(included.contains("iso42001_A.10.3") && selection["exclude-controls"] == nil)
        let findings = (result["findings"] as? [[String: Any]]) ?? []
        #expect(findings.count == 1, "the finding linked to nothing has no target to give")
        let loose = ((result["observations"] as? [[String: Any]]) ?? []).first { $0["title"] as? String == "Loose end" }
        #expect(loose?["types"] as? [String] == ["finding"])
        let target = try #require(findings.first?["target"] as? [String: Any])
        #expect(target["target-id"] as? String == "iso42001_A.10.3")
        #expect((target["status"] as? [String: Any])?["state"] as? String == "not-satisfied")
        #expect((target["remarks"] as? String)?.contains("Statement of Applicability excludes") == true)
    }
}

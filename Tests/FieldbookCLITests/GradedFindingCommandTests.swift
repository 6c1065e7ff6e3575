import FieldbookModel
import FieldbookReplica
import FieldbookTestSupport
import Foundation
import Testing

/// Findings graded as certification auditors grade them (issue 29), through the real binary: a
/// major or minor nonconformity closes once its correction is verified effective, or with an
/// override the register shows; observations and opportunities for improvement close freely;
/// older data reads unchanged; a peer's unverified close is kept and shown as an anomaly; OSCAL
/// carries observations as observations.
struct GradedFindingCommandTests {
    @Test("a nonconformity cannot close unverified (exit 3, one sentence), and closes once verified effective")
    func closesOnlyVerified() throws {
        let ws = try CLIWorkspace()
        let id = try ws.ok("finding", "add", "No impact assessment", "--requirement", "6.1.4", "--severity", "major",
                           "--correction", "Paused the release", "--root-cause", "No procedure for impact assessments",
                           "--corrective-action", "Write the procedure")
        for command in [["finding", "close", id], ["finding", "update", id, "--status", "closed"]] {
            try ws.expectRefusal(command, status: 3, mentioning: "A major nonconformity closes only once its correction is verified effective")
            let refusal = try ws.run(command)
            #expect(refusal.stderr.split(separator: "\n").count == 1, "\(refusal.stderr)")
        }
        try ws.ok("evidence", "add", try ws.file("procedure.pdf", "procedure").path, "--requirement", "6.1.4")
        let evidence = try #require(((try ws.run("evidence", "list", "--json").json["evidence"] as? [[String: Any]])?.first)?["id"] as? String)
        try ws.ok("finding", "verify", id, "--result", "not-effective", "--by", "Lead auditor", "--on", "2027-01-10")
        try ws.expectRefusal(["finding", "close", id], status: 3, mentioning: "verified effective")
        try ws.ok("finding", "verify", id, "--result", "effective", "--by", "Lead auditor", "--on", "2027-02-01", "--evidence", evidence)
        #expect(try ws.ok("finding", "close", id) == "Closed finding \(id).")
        #expect(try ws.ok("finding", "close", id) == "Finding \(id) is closed already.")

        let register = try ws.run("report", "findings", "--format", "json").json
        let entry = try #require((register["findings"] as? [[String: Any]])?.first)
        #expect(entry["correction"] as? String == "Paused the release" && entry["root_cause"] as? String == "No procedure for impact assessments")
        let verification = try #require(entry["verification"] as? [String: Any])
        #expect(verification["result"] as? String == "effective" && verification["by"] as? String == "Lead auditor"
            && verification["on"] as? String == "2027-02-01" && verification["evidence"] as? [String] == ["procedure.pdf"])
        let markdown = try ws.ok("report", "findings", "--format", "md")
        #expect(markdown.contains("Correction: Paused the release<br>Root cause: No procedure for impact assessments<br>Write the procedure"
            + "<br>Verified effective by Lead auditor on 2027-02-01; evidence: procedure.pdf"), "\(markdown)")
        // Found not effective after closing: the nonconformity is open again.
        try ws.ok("finding", "verify", id, "--result", "not-effective")
        #expect(try ws.run("show", id, "--json").json["status"] as? String == "in-progress")
    }

    @Test("an override closes an unverified nonconformity, and the register shows it in every format")
    func overrideShown() throws {
        let ws = try CLIWorkspace()
        let id = try ws.ok("finding", "add", "Logs not retained", "--requirement", "A.6.2.8", "--severity", "minor")
        try ws.expectRefusal(["finding", "close", id, "--override", " "], status: 3, mentioning: "A minor nonconformity")
        try ws.ok("finding", "close", id, "--override", "Accepted by the audit committee")
        #expect(try ws.ok("report", "findings", "--format", "md").contains("Closed without verification: Accepted by the audit committee **override**"))
        #expect(try ws.ok("report", "findings", "--format", "html").contains("Closed without verification: Accepted by the audit committee"))
        let csv = try ws.ok("report", "findings", "--format", "csv").split(separator: "\r\n")
        #expect(csv.first?.hasSuffix(",closed_without_verification") == true && csv.last?.hasSuffix(",Accepted by the audit committee") == true)
        let entry = try #require((try ws.run("report", "findings", "--format", "json").json["findings"] as? [[String: Any]])?.first)
        #expect(entry["closed_without_verification"] as? String == "Accepted by the audit committee")
        #expect(try ws.run("status", "--json").json["anomalies"] == nil)
    }

    @Test("an observation and an opportunity for improvement close with no root cause or verification, counted apart")
    func observationsCloseFreely() throws {
        let ws = try CLIWorkspace()
        let observation = try ws.ok("finding", "add", "Training records scattered", "--requirement", "7.2", "--severity", "observation")
        let opportunity = try ws.ok("finding", "add", "Automate the model inventory", "--requirement", "A.4.2",
                                    "--severity", "opportunity-for-improvement")
        try ws.ok("finding", "add", "No AI policy", "--requirement", "5.2", "--severity", "major")
        #expect(try ws.ok("finding", "close", observation) == "Closed finding \(observation).")
        try ws.ok("finding", "update", opportunity, "--status", "in-progress")
        let register = try ws.run("report", "findings", "--format", "json").json
        let summary = try #require(register["summary"] as? [String: Any])
        #expect(summary["observations"] as? Int == 1 && summary["opportunities_for_improvement"] as? Int == 1 && summary["major"] as? Int == 1)
        #expect((register["findings"] as? [[String: Any]])?.compactMap { $0["severity"] as? String }
            == ["major", "opportunity-for-improvement", "observation"], "nonconformities first")
        #expect(try ws.ok("report", "findings", "--format", "md")
            .contains("3 findings: 1 major, 0 minor, 1 observation, 1 opportunity for improvement;"))
        let kpis = try #require((try ws.run("report", "gap", "--framework", "iso42001", "--format", "json").json["kpis"] as? [String: Any])?["findings"]
            as? [String: Any])
        #expect(kpis["open_by_severity"] as? [String: Int] == ["major": 1, "minor": 0, "opportunity-for-improvement": 1])
        #expect(try ws.ok("report", "gap", "--framework", "iso42001", "--format", "md")
            .contains("Open findings: 2 (major 1, minor 0, opportunity-for-improvement 1)"))
        #expect(try ws.run("status", "--json").json["anomalies"] == nil)
        // The management review reads them as opportunities for improvement (9.3.2 e), not nonconformities.
        let review = try ws.run("report", "review", "--format", "json").json
        #expect(Set((review["improvement"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String })
            == ["Training records scattered", "Automate the model inventory"])
        #expect((review["nonconformities"] as? [String: Int])?["raised"] == 1)
    }

    @Test("older grades read unchanged; a peer's unverified close is kept and shown as an anomaly")
    func olderDataAndReceivedClose() throws {
        let ws = try CLIWorkspace()
        let engagement = try #require((try ws.run("status", "--json").json["engagement"] as? [String: Any])?["id"] as? String)
        let major = EntityID("0193a000-0000-7000-8000-0000000000d1")!, minor = EntityID("0193a000-0000-7000-8000-0000000000d2")!
        let bundle = ws.folder.appendingPathComponent("older.fbbundle")
        // What a release before graded findings wrote: minor and major, closed with no verification.
        try SyntheticBundle.write(to: bundle, engagement: engagement, edits: [major, minor].enumerated().flatMap { index, id -> [LocalEdit] in
            [.set(id, .finding, field: "title", .text("Older finding \(index)")), .set(id, .finding, field: "severity", .enumCase(index == 0 ? "major" : "minor")),
             .set(id, .finding, field: "status", .enumCase(index == 0 ? "closed" : "open")), .link(id, .finding, field: "requirements", target: "iso42001:9.2")]
        })
        #expect(try ws.run("bundle", "import", bundle.path).status == 0)
        let listed = try #require(try ws.run("finding", "list", "--json").json["findings"] as? [[String: Any]])
        #expect(listed.compactMap { $0["severity"] as? String } == ["major", "minor"])
        #expect(listed.allSatisfy { $0["verification"] == nil && $0["root_cause"] == nil })
        let anomalies = try #require(try ws.run("status", "--json").json["anomalies"] as? [[String: Any]])
        #expect(anomalies.map { $0["entity"] as? String } == [major.rawValue])
        #expect(anomalies.first?["problem"] as? String == "Major nonconformity closed without an effective verification")
        #expect(try ws.ok("status").contains("Anomaly     Major nonconformity closed without an effective verification (\(major.rawValue)"))
        // Repaired where it stands: verified effective, the anomaly is gone.
        try ws.ok("finding", "verify", major.rawValue, "--result", "effective")
        #expect(try ws.run("status", "--json").json["anomalies"] == nil)
    }

    @Test("OSCAL: nonconformities are findings carrying their grade, observations and opportunities are observations; still schema-valid")
    func oscalGrades() throws {
        let ws = try CLIWorkspace()
        try ws.ok("assess", "A.6.2.4", "--result", "compliant")
        let nonconformity = try ws.ok("finding", "add", "No V&V sign-off", "--requirement", "A.6.2.4", "--severity", "minor")
        try ws.ok("finding", "add", "Sign-off template unclear", "--requirement", "A.6.2.4", "--severity", "observation")
        try ws.ok("finding", "add", "Automate sign-off", "--requirement", "A.6.2.4", "--severity", "opportunity-for-improvement")
        try ws.ok("finding", "verify", nonconformity, "--result", "effective", "--by", "Lead auditor", "--on", "2027-01-10")
        let document = try OSCALDocument.export(ws)
        let titles = Set(document.findings.compactMap { $0["title"] as? String })
        #expect(titles.contains("No V&V sign-off") && !titles.contains("Sign-off template unclear") && !titles.contains("Automate sign-off"))
        let props = (document.findings.first { $0["title"] as? String == "No V&V sign-off" }?["props"] as? [[String: Any]]) ?? []
        func prop(_ name: String, in props: [[String: Any]]) -> String? { props.first { $0["name"] as? String == name }?["value"] as? String }
        #expect(prop("severity", in: props) == "minor" && prop("verification", in: props) == "effective" && prop("verified-by", in: props) == "Lead auditor")
        let observation = try #require(document.observation(titled: "Sign-off template unclear"))
        let opportunity = try #require(document.observation(titled: "Automate sign-off"))
        #expect(prop("severity", in: observation["props"] as? [[String: Any]] ?? []) == "observation")
        #expect(prop("severity", in: opportunity["props"] as? [[String: Any]] ?? []) == "opportunity-for-improvement")
        #expect((opportunity["remarks"] as? String)?.hasPrefix("An opportunity for improvement, not a nonconformity") == true)
        // The requirement's result finding relates to them; only the open nonconformity keeps it not satisfied.
        let result = try #require(document.findings(targeting: "iso42001_A.6.2.4").first { $0["title"] as? String != "No V&V sign-off" })
        #expect(Set(OSCALDocument.related(result)).isSuperset(of: [observation["uuid"] as? String, opportunity["uuid"] as? String].compactMap { $0 }))
        #expect(OSCALDocument.state(result) == "not-satisfied")
        try ws.ok("finding", "close", nonconformity)
        let closed = try OSCALDocument.export(ws, "closed.json")
        #expect(closed.findings(targeting: "iso42001_A.6.2.4").allSatisfy { OSCALDocument.state($0) == "satisfied" },
                "open observations keep no target unsatisfied")
    }
}

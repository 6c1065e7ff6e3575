import Foundation
import Testing

/// The AI management system through the real binary: the AI system inventory, impact
/// assessments, applicability and the Statement of Applicability.
struct ManagementSystemCommandTests {
    @Test("AI systems: add, update, list, show with their impacts and risks; bad input changes nothing")
    func systems() throws {
        let ws = try CLIWorkspace()
        let id = try ws.run("system", "add", "Credit scoring CS-7", "--purpose", "Scores applications", "--owner", "CRO",
                            "--stage", "deployed", "--risk-tier", "high").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.count == 36)
        #expect(try ws.run("system", "update", "credit scoring cs-7", "--stage", "retired", "--out-of-scope").status == 0)
        let impact = try ws.run("impact", "add", "Credit scoring CS-7", "--summary", "Older applicants disadvantaged",
                                "--affected", "Applicants over 60", "--severity", "4", "--likelihood", "3", "--date", "2026-10-01")
        #expect(impact.status == 0, "\(impact.stderr)")
        #expect(try ws.run("risk", "add", "Unfair outcomes", "--likelihood", "4", "--impact", "5", "--system", id).status == 0)
        let show = try ws.run("system", "show", id, "--json").json
        #expect((show["system"] as? [String: Any])?["stage"] as? String == "retired")
        #expect((show["system"] as? [String: Any])?["in_scope"] as? Bool == false)
        #expect((show["impacts"] as? [[String: Any]])?.first?["severity"] as? Int == 4)
        #expect((show["risks"] as? [[String: Any]])?.first?["title"] as? String == "Unfair outcomes")
        let impacts = try #require(try ws.run("impact", "list", "--system", id, "--json").json["impacts"] as? [[String: Any]])
        #expect(impacts.first?["systems"] as? [String] == [id])
        #expect((try ws.run("system", "list", "--json").json["systems"] as? [Any])?.count == 1)

        try ws.expectRefusal(["system", "add", "Credit scoring CS-7"], status: 3, mentioning: "exists already")
        try ws.expectRefusal(["system", "add", "X", "--stage", "beta"], status: 1)
        try ws.expectRefusal(["impact", "add", "No such system", "--summary", "x"], status: 2)
        try ws.expectRefusal(["impact", "add", id, "--summary", "x", "--severity", "6"], status: 1, mentioning: "Severity must be 1 to 5")
        try ws.expectRefusal(["impact", "add", id, "--summary", "x", "--date", "2026-13-01"], status: 1, mentioning: "YYYY-MM-DD")
        try ws.expectRefusal(["risk", "add", "R", "--likelihood", "1", "--impact", "1", "--system", "ghost"], status: 2)
        try ws.expectRefusal(["system", "update", id], status: 1, mentioning: "Nothing to change")

        // Evidence links to AI systems on add, link and unlink.
        let file = try ws.file("model-card.md", "CS-7 model card")
        let evidence = try ws.run("evidence", "add", file.path, "--requirement", "A.6.2.7", "--json").json["id"] as? String ?? ""
        #expect(try ws.run("evidence", "link", evidence, "--system", "Credit scoring CS-7").status == 0)
        #expect((try ws.run("system", "show", id, "--json").json["evidence"] as? [Any])?.count == 1)
        #expect(try ws.run("evidence", "unlink", evidence, "--system", id).status == 0)
        #expect((try ws.run("system", "show", id, "--json").json["evidence"] as? [Any])?.isEmpty == true)
        try ws.expectRefusal(["evidence", "unlink", evidence, "--system", id], status: 2, mentioning: "not linked")
        try ws.expectRefusal(["evidence", "link", evidence], status: 1, mentioning: "--requirement or --system")
    }

    @Test("applicability: an exclusion needs a justification, only Annex A controls take it, and the SoA lists all 38")
    func statementOfApplicability() throws {
        let ws = try CLIWorkspace()
        try ws.expectRefusal(["applicability", "set", "A.8.4", "--excluded"], status: 1, mentioning: "justification")
        try ws.expectRefusal(["applicability", "set", "6.1.2", "--included"], status: 1, mentioning: "not an Annex A control")
        try ws.expectRefusal(["applicability", "set", "A.8.4", "--included", "--excluded", "--justification", "x"], status: 1)
        #expect(try ws.run("applicability", "set", "A.8.4", "--excluded", "--justification", "No external reporting <duty>").status == 0)
        #expect(try ws.run("applicability", "set", "A.6.2.4", "--included").status == 0)
        try ws.run("assess", "A.6.2.4", "--result", "compliant")
        let evidence = try ws.file("vv.txt", "V&V report")
        try ws.run("evidence", "add", evidence.path, "--requirement", "A.6.2.4")

        let soa = try ws.run("report", "soa", "--format", "json").json
        let controls = try #require(soa["controls"] as? [[String: Any]])
        #expect(controls.count == 38)
        let summary = try #require(soa["summary"] as? [String: Any])
        #expect(summary["included"] as? Int == 1 && summary["excluded"] as? Int == 1 && summary["undecided"] as? Int == 36)
        #expect(summary["implemented"] as? Int == 1)
        let control = try #require(controls.first { $0["control"] as? String == "iso42001:A.6.2.4" })
        #expect(control["implementation"] as? String == "compliant")
        #expect((control["evidence"] as? [Any])?.count == 1)
        #expect((control["ai_rmf"] as? [Any])?.count == 12)
        let excluded = try #require(controls.first { $0["control"] as? String == "iso42001:A.8.4" })
        #expect(excluded["justification"] as? String == "No external reporting <duty>")
        let html = try ws.run("report", "soa", "--format", "html").stdout
        #expect(html.contains("No external reporting &lt;duty&gt;") && !html.contains("<duty>"))
        let csv = try ws.run("report", "soa", "--format", "csv").stdout
        #expect(csv.split(separator: "\r\n").count == 39)
        #expect(try ws.run("report", "soa", "--format", "md").stdout.contains("38 Annex A controls: 1 included"))
    }

    @Test("two laptops editing systems, impacts and applicability concurrently converge with the conflicts shown")
    func concurrentEdits() throws {
        let ana = try CLIWorkspace(assessor: "Ana")
        let system = try ana.run("system", "add", "CS-7", "--stage", "development").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let first = ana.folder.appendingPathComponent("a.fbbundle").path
        try ana.run("bundle", "export", "-o", first)
        let ben = try CLIWorkspace(initialize: false)
        try ben.run("clone", first, "--assessor", "Ben")
        try ana.run("system", "update", system, "--stage", "deployed")
        try ben.run("system", "update", system, "--stage", "retired")
        try ana.run("applicability", "set", "A.5.2", "--included")
        try ben.run("applicability", "set", "A.5.2", "--excluded", "--justification", "Handled by group policy")
        try ben.run("impact", "add", "CS-7", "--summary", "Ben's impact assessment", "--severity", "3")
        let a2 = ana.folder.appendingPathComponent("a2.fbbundle").path, b2 = ben.folder.appendingPathComponent("b2.fbbundle").path
        try ana.run("bundle", "export", "-o", a2)
        try ben.run("bundle", "export", "-o", b2)
        // Before the exchange the exports' management systems differ.
        func managementSystem(_ workspace: CLIWorkspace) throws -> [String] {
            let export = try #require(try JSONSerialization.jsonObject(with: Data(workspace.export().utf8)) as? [String: Any])
            return try ["systems", "impacts", "applicability"].map {
                String(decoding: try JSONSerialization.data(withJSONObject: export[$0] ?? NSNull(), options: [.sortedKeys]), as: UTF8.self)
            }
        }
        #expect(try managementSystem(ana) != managementSystem(ben))
        try ana.run("bundle", "import", b2)
        try ben.run("bundle", "import", a2)
        #expect(try ana.export() == ben.export())
        #expect(try managementSystem(ana) == managementSystem(ben))
        let export = try #require(try JSONSerialization.jsonObject(with: Data(ana.export().utf8)) as? [String: Any])
        #expect((export["systems"] as? [Any])?.count == 1)
        #expect((export["impacts"] as? [Any])?.count == 1)
        #expect((export["applicability"] as? [[String: Any]])?.first?["conflicted_fields"] as? [String] == ["applicability"])
        let conflicts = try #require(try ana.run("conflicts", "--json").json["conflicts"] as? [[String: Any]])
        #expect(Set(conflicts.compactMap { $0["field"] as? String }) == ["stage", "applicability"])
        #expect((try ana.run("impact", "list", "--json").json["impacts"] as? [Any])?.count == 1)
        #expect(try ana.run("resolve", "A.5.2", "applicability", "--keep", "Ben").status == 0)
    }
}

/// Overdue corrective actions and the OSCAL subjects of the management system.
struct ManagementSystemReportingTests {
    @Test("an open finding past its due date shows as overdue in status and the gap report; closing it clears it")
    func overdue() throws {
        let ws = try CLIWorkspace()
        let id = try ws.run("finding", "add", "No impact assessment", "--requirement", "6.1.4", "--due", "2020-01-31",
                            "--source", "internal-audit", "--owner", "CRO").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try ws.run("finding", "add", "Later", "--requirement", "6.1.4", "--due", "2999-01-01")
        let status = try ws.run("status", "--json").json
        let overdue = try #require(status["overdue_corrective_actions"] as? [[String: Any]])
        #expect(overdue.map { $0["finding"] as? String } == [id])
        let gap = try ws.run("report", "gap", "--framework", "iso42001", "--format", "json").json
        let findings = try #require((gap["kpis"] as? [String: Any])?["findings"] as? [String: Any])
        #expect(findings["overdue"] as? Int == 1)
        try ws.run("finding", "update", id, "--status", "closed")
        #expect((try ws.run("status", "--json").json["overdue_corrective_actions"] as? [Any])?.isEmpty == true)
        try ws.expectRefusal(["finding", "add", "X", "--requirement", "6.1.4", "--source", "gossip"], status: 1)
    }

    @Test("OSCAL carries AI systems as components and impact assessments as observations, and still validates")
    func oscalSubjects() throws {
        let ws = try CLIWorkspace()
        let system = try ws.run("system", "add", "CS-7", "--purpose", "Credit scoring", "--stage", "deployed", "--risk-tier", "high")
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try ws.run("impact", "add", system, "--summary", "Older applicants disadvantaged", "--affected", "Applicants over 60", "--severity", "4")
        try ws.run("assess", "A.5.2", "--result", "partially-compliant")
        let file = ws.folder.appendingPathComponent("ar.json")
        #expect(try ws.run("export", "oscal", "-o", file.path).status == 0)
        let (status, output) = try ReportCommandTests.validateOSCAL(file)
        #expect(status == 0, "\(output)")
        let result = try #require((((try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])?["assessment-results"]
            as? [String: Any])?["results"] as? [[String: Any]])?.first)
        let components = try #require((result["local-definitions"] as? [String: Any])?["components"] as? [[String: Any]])
        #expect(components.first?["title"] as? String == "CS-7")
        let componentUUID = try #require(components.first?["uuid"] as? String)
        let observations = try #require(result["observations"] as? [[String: Any]])
        let impact = try #require(observations.first { $0["title"] as? String == "AI system impact assessment" })
        #expect((impact["subjects"] as? [[String: Any]])?.first?["subject-uuid"] as? String == componentUUID)
    }
}

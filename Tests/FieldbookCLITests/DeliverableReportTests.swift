import Foundation
import Testing

/// What a client receives (issue 18): every report opens with a title block whose version
/// follows the content; findings appear in the gap rows they touch (through a clause named as a
/// whole too) and in the corrective-action register; an excluded control is shown excluded,
/// never inferred; the progress chart reads with one period.
@Suite(.serialized)
struct DeliverableReportTests {
    static let reports: [[String]] = [["gap", "--framework", "iso42001"], ["gap", "--framework", "nist-ai-rmf"], ["risks"], ["soa"],
                                      ["progress"], ["findings"]]

    /// The sample engagement plus a major finding against clause 9.2 as a whole, an overdue
    /// minor one, and Annex A control A.10.3 excluded.
    static func engagement() throws -> CLIWorkspace {
        let ws = try ReportCommandTests.sample()
        for arguments in [
            ["finding", "add", "Internal audit programme not established", "--requirement", "9.2", "--severity", "major",
             "--source", "external-audit", "--owner", "Head of Compliance", "--due", "2027-03-31"],
            ["finding", "add", "Supplier questionnaire outdated", "--requirement", "A.10.3", "--severity", "minor", "--due", "2020-01-31"],
            ["applicability", "set", "A.10.3", "--excluded", "--justification", "No third-party AI suppliers in scope"],
        ] {
            let outcome = try ws.run(arguments)
            #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
        }
        return ws
    }

    @Test("every report in every text format opens with the title block; its version counts the changes and follows them")
    func titleBlock() throws {
        let ws = try Self.engagement()
        let changes = try #require(try ws.run("status", "--json").json["changes"] as? Int)
        var version = ""
        for report in Self.reports {
            let json = try ws.run(["report"] + report + ["--format", "json"])
            #expect(json.status == 0, "\(report): \(json.stderr)")
            let document = try #require(try json.json["document"] as? [String: Any], "\(report)")
            #expect(document["engagement"] as? String == "Acme Credit AI governance review")
            #expect(document["scope"] as? String == "Credit scoring model CS-7 and the customer chat assistant")
            #expect(document["assessors"] as? [String] == ["Ana Ruiz"])
            #expect(document["status"] as? String == "draft")
            #expect((document["generated"] as? String)?.count == 10)
            version = try #require(document["version"] as? String)
            #expect(version.hasPrefix("\(changes)."), "version \(version) for \(changes) changes")
            for format in ["md", "html"] {
                let text = try ws.run(["report"] + report + ["--format", format]).stdout
                #expect(text.contains("Credit scoring model CS-7 and the customer chat assistant"), "\(report) \(format)")
                #expect(text.contains(version) && text.contains("Ana Ruiz"), "\(report) \(format)")
                #expect(format == "md" ? text.contains("**DRAFT**") : text.contains("<td class=\"doc-draft\">draft</td>"), "\(report) \(format)")
            }
        }
        #expect(try ws.run("assess", "9.2.1", "--result", "non-compliant").status == 0)
        let after = try #require(try ws.run("report", "soa", "--format", "json").json["document"] as? [String: Any])
        #expect(after["version"] as? String != version)
        #expect((after["version"] as? String)?.hasPrefix("\(changes + 1).") == true)
    }

    @Test("a final SoA names its approver in the title and signature blocks; --approved-by needs --final")
    func finalDocument() throws {
        let ws = try Self.engagement()
        let json = try ws.run("report", "soa", "--format", "json", "--final", "--approved-by", "Dana Lee")
        let document = try #require(try json.json["document"] as? [String: Any])
        #expect(document["status"] as? String == "final" && document["approved_by"] as? String == "Dana Lee")
        let html = try ws.run("report", "soa", "--format", "html", "--final", "--approved-by", "Dana Lee").stdout
        #expect(html.contains("<h2>Approval</h2>") && html.contains("<th scope=\"row\">Approved by</th><td>Dana Lee</td>"))
        #expect(html.contains("final, approved by Dana Lee"))
        let markdown = try ws.run("report", "soa", "--final", "--approved-by", "Dana Lee").stdout
        #expect(markdown.contains("| Approved by | Dana Lee | Date | |") && markdown.contains("**FINAL**, approved by Dana Lee"))
        try ws.expectRefusal(["report", "soa", "--approved-by", "Dana Lee"], status: 1, mentioning: "--final")
    }

    @Test("a finding against clause 9.2 as a whole shows on 9.2.1 and 9.2.2 and on the 9.2 roll-up; the register says what it covers")
    func clauseFindings() throws {
        let ws = try Self.engagement()
        let gap = try ws.run("report", "gap", "--framework", "iso42001", "--format", "json").json
        let rows = try #require(gap["rows"] as? [[String: Any]])
        for id in ["iso42001:9.2.1", "iso42001:9.2.2"] {
            let row = try #require(rows.first { $0["requirement"] as? String == id })
            #expect(row["open_findings"] as? Int == 1, "\(id)")
            let finding = try #require((row["findings"] as? [[String: Any]])?.first)
            #expect(finding["title"] as? String == "Internal audit programme not established")
            #expect(finding["via"] as? String == "iso42001:9.2" && finding["severity"] as? String == "major")
        }
        // The finding on 6.1.4 and A.5.2 names them directly: no "via".
        let direct = try #require(rows.first { $0["requirement"] as? String == "iso42001:6.1.4" }?["findings"] as? [[String: Any]])
        #expect(direct.count == 1 && direct[0]["via"] == nil)
        let rollup = try #require((gap["rollups"] as? [[String: Any]])?.first { $0["id"] as? String == "iso42001:9.2" })
        #expect((rollup["findings"] as? [[String: Any]])?.map { $0["title"] as? String } == ["Internal audit programme not established"])

        let register = try ws.run("report", "findings", "--format", "json").json
        let findings = try #require(register["findings"] as? [[String: Any]])
        // Open findings, major first, then by due date.
        #expect(findings.map { $0["title"] as? String } == ["No AI system impact assessment for CS-7", "Internal audit programme not established",
                                                           "Supplier questionnaire outdated", "Fairness threshold breached without follow-up"])
        let clause = try #require(findings[1]["requirements"] as? [[String: Any]])
        #expect(clause.first?["whole"] as? Bool == true)
        #expect(clause.first?["covers"] as? [String] == ["iso42001:9.2.1", "iso42001:9.2.2"])
        #expect(findings[2]["overdue"] as? Bool == true && findings[0]["overdue"] as? Bool == false)
        let summary = try #require(register["summary"] as? [String: Any])
        #expect(summary["total"] as? Int == 4 && summary["major"] as? Int == 2 && summary["overdue"] as? Int == 1)

        let html = try ws.run("report", "findings", "--format", "html").stdout
        #expect(html.contains("<span class=\"overdue\">overdue</span>") && html.contains("(whole 9.2: 2 requirements)"))
        let csv = try ws.run("report", "findings", "--format", "csv").stdout
        #expect(csv.hasPrefix("id,title,severity,status,owner,due,overdue,source,requirements,systems,corrective_action,description,"
            + "correction,root_cause,verification,verified_by,verified_on,verification_evidence,closed_without_verification\r\n"))
        #expect(csv.split(separator: "\r\n").count == 5)
        let markdown = try ws.run("report", "gap", "--framework", "iso42001").stdout
        #expect(markdown.contains("major open: Internal audit programme not established (Head of Compliance, due 2027-03-31, raised against iso42001:9.2)"))
    }

    @Test("an excluded control is shown excluded with its justification and never inferred")
    func exclusion() throws {
        let ws = try Self.engagement()
        let rows = try #require(try ws.run("report", "gap", "--framework", "iso42001", "--format", "json").json["rows"] as? [[String: Any]])
        let row = try #require(rows.first { $0["requirement"] as? String == "iso42001:A.10.3" })
        #expect(row["applicability"] as? String == "excluded")
        #expect(row["justification"] as? String == "No third-party AI suppliers in scope")
        #expect(row["inferred"] == nil)
        let html = try ws.run("report", "gap", "--framework", "iso42001", "--format", "html").stdout
        let line = try #require(html.split(separator: "\n").first { $0.contains("<tr><td>iso42001:A.10.3<br>") })
        #expect(line.contains("<td class=\"excluded\">excluded</td>") && line.contains("No third-party AI suppliers in scope"))
        // Where the sample's results do signal a gap, the words say which results do and which do not.
        #expect(!html.contains("requirement(s)"))

        // A.5.2 is assessed non-compliant; once excluded, it signals nothing to the AI RMF rows it relates to.
        func signalsFromA52() throws -> Int {
            let rows = try #require(try ws.run("report", "gap", "--framework", "nist-ai-rmf", "--format", "json").json["rows"] as? [[String: Any]])
            return rows.compactMap { ($0["inferred"] as? [String: Any])?["related"] as? [[String: Any]] }.joined()
                .filter { $0["requirement"] as? String == "iso42001:A.5.2" && $0["status"] != nil }.count
        }
        #expect(try signalsFromA52() > 0)
        #expect(try ws.run("applicability", "set", "A.5.2", "--excluded", "--justification", "Impact assessments are run by the group, out of scope").status == 0)
        #expect(try signalsFromA52() == 0)
    }

    @Test("the progress chart with one period draws a line from zero; no dash stands for a missing time to mitigate")
    func progressChart() throws {
        let ws = try Self.engagement()
        let json = try ws.run("report", "progress", "--format", "json").json
        #expect((json["periods"] as? [Any])?.count == 1)
        let html = try ws.run("report", "progress", "--format", "html").stdout
        let polyline = try #require(html.split(separator: "\n").first { $0.hasPrefix("<polyline") })
        let points = try #require(polyline.split(separator: "\"").first { $0.contains(",") && !$0.contains("=") })
        #expect(points.split(separator: " ").count == 2, "\(polyline)")
        #expect(html.contains("Days to mitigate high risks") && !html.contains("<b>–</b>"))
        let markdown = try ws.run("report", "progress").stdout
        #expect(markdown.contains("Days from logging to mitigation: none yet (no high or critical risk mitigated yet)"))
    }

    @Test("printed HTML repeats table headers and numbers its pages")
    func printStyles() throws {
        let ws = try Self.engagement()
        for report in Self.reports {
            let html = try ws.run(["report"] + report + ["--format", "html"]).stdout
            #expect(html.contains("thead{display:table-header-group}") && html.contains("counter(page)"), "\(report)")
            #expect(!html.contains("<table><tr><th>"), "\(report): a table without <thead>")
        }
    }

    @Test("a final report is refused while a field holds conflicting values; the draft still writes")
    func finalNeedsAgreement() throws {
        let ana = try CLIWorkspace(assessor: "Ana")
        try ana.run("risk", "add", "Bias", "--likelihood", "2", "--impact", "2")
        let bundle = ana.folder.appendingPathComponent("a.fbbundle").path
        try ana.run("bundle", "export", "-o", bundle)
        let ben = try CLIWorkspace(initialize: false)
        try ben.run("clone", bundle, "--assessor", "Ben")
        let id = try #require((try ana.run("risk", "list", "--json").json["risks"] as? [[String: Any]])?.first?["id"] as? String)
        try ana.run("risk", "update", id, "--likelihood", "4")
        try ben.run("risk", "update", id, "--likelihood", "5")
        let fromBen = ben.folder.appendingPathComponent("b.fbbundle").path
        try ben.run("bundle", "export", "-o", fromBen)
        try ana.run("bundle", "import", fromBen)
        let output = ana.folder.appendingPathComponent("risks.html").path
        try ana.expectRefusal(["report", "risks", "--format", "html", "--final", "-o", output], status: 3, mentioning: "1 field still holds conflicting values")
        #expect(!FileManager.default.fileExists(atPath: output))
        #expect(try ana.run("report", "risks", "--format", "html", "-o", output).status == 0)
    }

    @Test("the progress chart over 40 months names about 12 of them, the last always, and puts every period on the line")
    func progressChartManyPeriods() throws {
        let ws = try CLIWorkspace(initialize: false)
        func run(_ date: String, _ arguments: String...) throws {
            let outcome = try FieldbookProcess(workingDirectory: ws.folder, environment: ["FIELDBOOK_NOW_MS": ProgressReportTests.at(date)]).run(arguments)
            #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
        }
        try run("2023-01-10", "init", "--engagement", "Long", "--assessor", "Ana")
        try run("2023-01-10", "assess", "GV-1.1", "--result", "non-compliant")
        try run("2026-04-10", "assess", "GV-1.1", "--result", "compliant")
        let periods = try #require(try ws.run("report", "progress", "--format", "json").json["periods"] as? [[String: Any]])
        #expect(periods.count == 40)
        let html = try ws.run("report", "progress", "--format", "html").stdout
        let lines = html.split(separator: "\n")
        let labels = lines.filter { $0.hasPrefix("<text") && $0.contains("text-anchor=\"middle\"") }
        #expect((10...14).contains(labels.count), "\(labels.count) period names")
        #expect(labels.last?.contains(">2026-04<") == true)
        let polyline = try #require(lines.first { $0.hasPrefix("<polyline") })
        let points = try #require(polyline.split(separator: "\"").first { $0.contains(",") && !$0.contains("=") })
        #expect(points.split(separator: " ").count == 41, "the origin and 40 periods")
    }

    @Test("an excluded control's earlier result counts under excluded only: not in roll-ups, key figures or agreement")
    func staleResultOfExcludedControl() throws {
        let ws = try ReportCommandTests.sample()
        func figures() throws -> (rollup: [String: Any], iso: [String: Any]) {
            let gap = try ws.run("report", "gap", "--framework", "iso42001", "--format", "json").json
            let rollup = try #require((gap["rollups"] as? [[String: Any]])?.first { $0["id"] as? String == "iso42001:A.5" })
            let kpis = try #require(gap["kpis"] as? [String: Any])
            let iso = try #require((kpis["frameworks"] as? [[String: Any]])?.first { $0["framework"] as? String == "iso42001" })
            return (rollup, iso)
        }
        let before = try figures()
        #expect(before.rollup["non_compliant"] as? Int == 1 && before.rollup["excluded"] as? Int == 0)
        #expect(try ws.run("applicability", "set", "A.5.2", "--excluded", "--justification", "Group function").status == 0)
        let after = try figures()
        #expect(after.rollup["non_compliant"] as? Int == 0 && after.rollup["excluded"] as? Int == 1)
        #expect(after.rollup["assessed"] as? Int == (before.rollup["assessed"] as? Int ?? 0) - 1)
        #expect(after.iso["assessed"] as? Int == (before.iso["assessed"] as? Int ?? 0) - 1)
        // The row itself still shows what was recorded, marked excluded: nothing typed is hidden.
        let rows = try #require(try ws.run("report", "gap", "--framework", "iso42001", "--format", "json").json["rows"] as? [[String: Any]])
        let row = try #require(rows.first { $0["requirement"] as? String == "iso42001:A.5.2" })
        #expect(row["status"] as? String == "non-compliant" && row["applicability"] as? String == "excluded")
    }

    @Test("workspace text cannot break a Markdown table, become live HTML in it, or start a spreadsheet formula")
    func hostileText() throws {
        let ws = try ReportCommandTests.sample()
        #expect(try ws.run("finding", "add", "cr\rbreak <img src=x onerror=alert(1)> | pipe", "--requirement", "A.6.2.4",
                           "--owner", "\t=SUM(A1)").status == 0)
        for arguments in [["report", "findings"], ["report", "gap", "--framework", "iso42001"]] {
            let markdown = try ws.run(arguments).stdout
            #expect(!markdown.contains("<img") && !markdown.contains("\r"), "\(arguments)")
            #expect(markdown.contains("cr break &lt;img src=x onerror=alert(1)&gt; \\| pipe"), "\(arguments)")
        }
        let csv = try ws.run("report", "findings", "--format", "csv").stdout
        #expect(csv.contains(",\"'\t=SUM(A1)\",") && !csv.contains(",\t=SUM(A1),"))
    }
}

import Foundation
import Testing

/// Risk treatment (ISO/IEC 42001 6.1.3, issue 29) through the real binary: the controls
/// treating a risk, residual figures, acceptance, and the Statement of Applicability derived from them.
struct RiskTreatmentCommandTests {
    /// Adds a risk and returns its id.
    private func risk(_ ws: CLIWorkspace, _ arguments: String...) throws -> String {
        let outcome = try ws.run(["risk", "add"] + arguments)
        try #require(outcome.status == 0, "\(outcome.stderr)")
        return outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a risk treated by an excluded control is flagged in status and blocks a final SoA, naming both")
    func contradiction() throws {
        let ws = try CLIWorkspace()
        let bias = try risk(ws, "Bias in credit scores", "--likelihood", "4", "--impact", "4", "--treated-by", "A.6.2.4", "--treated-by", "GV-1.1")
        #expect(try ws.run("applicability", "set", "A.6.2.4", "--excluded", "--justification", "Vendor validates").status == 0)

        let status = try ws.run("status")
        #expect(status.stdout.contains("iso42001:A.6.2.4 is excluded from the Statement of Applicability while risk \(bias.prefix(8))"), "\(status.stdout)")
        #expect(status.stdout.contains("(Bias in credit scores)"))
        let contradictions = try #require(try ws.run("status", "--json").json["contradictions"] as? [[String: Any]])
        #expect(contradictions.count == 1)
        #expect(contradictions.first?["control"] as? String == "iso42001:A.6.2.4")
        #expect(contradictions.first?["risks"] as? [String] == [bias])

        try ws.expectRefusal(["report", "soa", "--final"], status: 3, mentioning: "iso42001:A.6.2.4")
        let refusal = try ws.run("report", "soa", "--final")
        #expect(refusal.stderr.contains("Bias in credit scores") && refusal.stderr.contains(String(bias.prefix(8))), "\(refusal.stderr)")
        // A draft shows it; the gap report too.
        let soa = try ws.run("report", "soa", "--format", "json").json
        let control = try #require((soa["controls"] as? [[String: Any]])?.first { $0["control"] as? String == "iso42001:A.6.2.4" })
        #expect(control["applicability"] as? String == "excluded")
        #expect((control["contradiction"] as? String)?.contains("Bias in credit scores") == true)
        #expect((soa["summary"] as? [String: Any])?["contradictions"] as? Int == 1)
        #expect(try ws.run("report", "gap", "--framework", "iso42001").stdout.contains("contradiction: iso42001:A.6.2.4 is excluded"))
        #expect(try ws.run("report", "soa").stdout.contains("1 excluded, 37 undecided. 1 exclusion contradicts a risk's treatment."))

        // Taking the control out of the treatment ends the contradiction; the final SoA is issued.
        #expect(try ws.run("risk", "update", bias, "--untreated-by", "A.6.2.4").status == 0)
        #expect(try ws.run("status", "--json").json["contradictions"] == nil)
        #expect(try ws.run("report", "soa", "--final").status == 0)
    }

    @Test("a control a live risk names is included with the derived reason, beside an explicit decision's")
    func derivedInclusion() throws {
        let ws = try CLIWorkspace()
        let drift = try risk(ws, "Data drift", "--likelihood", "3", "--impact", "4", "--treated-by", "A.7.4")
        let closed = try risk(ws, "Old issue", "--likelihood", "2", "--impact", "2", "--treated-by", "A.8.4", "--status", "closed")
        #expect(try ws.run("applicability", "set", "A.6.2.4", "--included", "--justification", "Contract requires it", "--reason", "contractual").status == 0)
        _ = try risk(ws, "Unvalidated model", "--likelihood", "3", "--impact", "3", "--treated-by", "A.6.2.4")

        let soa = try ws.run("report", "soa", "--format", "json").json
        let controls = try #require(soa["controls"] as? [[String: Any]])
        let derived = try #require(controls.first { $0["control"] as? String == "iso42001:A.7.4" })
        #expect(derived["applicability"] as? String == "included")
        #expect(derived["derived"] as? Bool == true)
        // The risk by its shortest unique id prefix (8 characters at least; risks added within a
        // minute share more) and its title.
        let reason = try #require(derived["derived_reason"] as? String)
        #expect(reason.hasPrefix("treats ") && reason.hasSuffix(" (Data drift)"), "\(reason)")
        let short = reason.dropFirst("treats ".count).prefix { $0 != " " }
        #expect(short.count >= 8 && drift.hasPrefix(short), "\(reason)")
        let explicit = try #require(controls.first { $0["control"] as? String == "iso42001:A.6.2.4" })
        #expect(explicit["reason"] as? String == "contractual" && explicit["derived"] == nil)
        #expect((explicit["derived_reason"] as? String)?.hasPrefix("treats ") == true)
        // A closed risk relies on nothing.
        let untouched = try #require(controls.first { $0["control"] as? String == "iso42001:A.8.4" })
        #expect(untouched["applicability"] as? String == "undecided", "closed risk \(closed)")
        #expect((soa["summary"] as? [String: Any])?["derived_inclusions"] as? Int == 1)
        #expect(try ws.run("report", "soa").stdout.contains("2 included (0 implemented, 1 for the risks they treat)"))

        let markdown = try ws.run("report", "soa").stdout
        #expect(markdown.contains(reason))
        #expect(markdown.contains("Contract requires it<br>contractual<br>treats "))
        let csv = try ws.run("report", "soa", "--format", "csv").stdout
        #expect(csv.hasPrefix("control,title,objective,applicability,justification,implementation,maturity,evidence,ai_rmf,reason,treats,contradiction\r\n"))
    }

    @Test("the former treatment words are read and written as ISO 31000's; residual figures are range-checked in one sentence")
    func treatmentWordsAndResiduals() throws {
        let ws = try CLIWorkspace()
        let id = try risk(ws, "Bias", "--likelihood", "4", "--impact", "4", "--treatment", "mitigate")
        #expect(try ws.run("show", id, "--json").json["treatment"] as? String == "modify")
        #expect(try ws.run("risk", "update", id, "--treatment", "modify").stdout.contains("unchanged"))
        #expect(try ws.run("risk", "update", id, "--treatment", "accept").status == 0)
        #expect(try ws.run("show", id, "--json").json["treatment"] as? String == "retain")
        try ws.expectRefusal(["risk", "update", id, "--residual-likelihood", "9"], status: 1, mentioning: "must be 1 to 5, not 9.")
        try ws.expectRefusal(["risk", "add", "X", "--likelihood", "3", "--impact", "3", "--residual-impact", "0"], status: 1, mentioning: "must be 1 to 5, not 0.")
        try ws.expectRefusal(["risk", "update", id, "--treated-by", "A.99"], status: 2)
    }

    @Test("the register shows inherent and residual side by side and counts risks above the acceptance level with no acceptance")
    func registerAndAcceptance() throws {
        let ws = try CLIWorkspace()
        let high = try risk(ws, "Bias", "--likelihood", "4", "--impact", "4", "--residual-likelihood", "2", "--residual-impact", "4")
        _ = try risk(ws, "Drift", "--likelihood", "5", "--impact", "5")
        _ = try risk(ws, "Typos", "--likelihood", "1", "--impact", "2")
        // Without an acceptance level nothing is counted and no treatment column shows for a register without treatment data.
        #expect(try ws.run("report", "risks", "--format", "json").json["acceptance_level"] == nil)

        #expect(try ws.run("engagement", "set", "--risk-acceptance-level", "low").status == 0)
        var register = try ws.run("report", "risks", "--format", "json").json
        #expect(((register["kpis"] as? [String: Any])?["risks"] as? [String: Any])?["above_acceptance_unaccepted"] as? Int == 2)
        let residual = try #require(register["residual_heat_map"] as? [[Int]])
        // Both maps count every risk: Bias moves to 2x4; Drift and Typos, rated only inherently, stay where they were.
        #expect(residual[1][3] == 1 && residual[3][3] == 0 && residual[4][4] == 1 && residual[0][1] == 1)
        #expect(residual.joined().reduce(0, +) == (register["heat_map"] as? [[Int]])?.joined().reduce(0, +))
        #expect(register["residual_unrated"] as? Int == 2)
        #expect((register["risks"] as? [[String: Any]])?.first { $0["id"] as? String == high }?["residual_level"] as? String == "medium")

        #expect(try ws.run("risk", "update", high, "--accepted-by", "CRO").status == 0)
        let shown = try ws.run("show", high, "--json").json
        #expect(shown["accepted_by"] as? String == "CRO" && (shown["accepted_on"] as? String)?.count == 10)
        register = try ws.run("report", "risks", "--format", "json").json
        #expect(((register["kpis"] as? [String: Any])?["risks"] as? [String: Any])?["above_acceptance_unaccepted"] as? Int == 1)
        let markdown = try ws.run("report", "risks").stdout
        #expect(markdown.contains("| level | score | L | I | risk | owner | treatment | residual | treated by | accepted | status |"))
        #expect(markdown.contains("1 above the acceptance level (low) with no acceptance"))
        #expect(markdown.contains("Residual heat map"))
        #expect(markdown.contains("2 risks have no rating after treatment yet and sit at their inherent rating."))
        let html = try ws.run("report", "risks", "--format", "html").stdout
        #expect(html.contains("<title>Residual risk heat map, after treatment: likelihood against impact</title>"))
        for format in ["csv"] { #expect(try ws.run("report", "risks", "--format", format).status == 0) }
        // The acceptance as a step of its own, with what it says.
        let drift = try #require((register["risks"] as? [[String: Any]])?.first { $0["title"] as? String == "Drift" }?["id"] as? String)
        #expect(try ws.run("risk", "accept", drift, "--by", "Board", "--on", "2026-12-01", "--note", "Until the Q2 retraining").status == 0)
        #expect(try ws.run("show", drift, "--json").json["acceptance_note"] as? String == "Until the Q2 retraining")
        register = try ws.run("report", "risks", "--format", "json").json
        #expect(((register["kpis"] as? [String: Any])?["risks"] as? [String: Any])?["above_acceptance_unaccepted"] as? Int == 0)
    }

    @Test("init sets the acceptance level with the engagement, and refuses a level that is not one in one sentence, creating nothing")
    func acceptanceLevelAtInit() throws {
        let ws = try CLIWorkspace(initialize: false)
        let refused = try ws.run("init", "--engagement", "Acme", "--assessor", "Ana", "--risk-acceptance-level", "huge")
        #expect(refused.status == 1 && refused.stderr.contains("'low', 'medium', 'high' or 'critical'"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: ws.folder.appendingPathComponent(".fieldbook").path))
        #expect(try ws.run("init", "--engagement", "Acme", "--assessor", "Ana", "--risk-acceptance-level", "medium").status == 0)
        _ = try risk(ws, "Drift", "--likelihood", "4", "--impact", "4")
        let register = try ws.run("report", "risks", "--format", "json").json
        #expect(register["acceptance_level"] as? String == "medium")
        #expect(((register["kpis"] as? [String: Any])?["risks"] as? [String: Any])?["above_acceptance_unaccepted"] as? Int == 1)
    }

    @Test("OSCAL risks carry their treatment as a remediation with the treating controls, and residual figures as props")
    func oscal() throws {
        let ws = try CLIWorkspace()
        _ = try risk(ws, "Bias", "--likelihood", "4", "--impact", "4", "--treatment", "modify", "--treated-by", "A.6.2.4",
                     "--residual-likelihood", "2", "--residual-impact", "2", "--accepted-by", "CRO", "--accepted-on", "2026-11-30")
        let document = try OSCALDocument.export(ws)
        let risk = try #require(document.risks.first)
        let remediation = try #require((risk["remediations"] as? [[String: Any]])?.first)
        #expect(remediation["lifecycle"] as? String == "planned")
        let remediationProps = (remediation["props"] as? [[String: Any]] ?? []).map { "\($0["name"]!)=\($0["value"]!)" }
        #expect(remediationProps == ["treatment=modify", "treated-by=iso42001_A.6.2.4"])
        let props = (risk["props"] as? [[String: Any]] ?? []).map { "\($0["name"]!)=\($0["value"]!)" }
        #expect(props == ["residual-likelihood=2", "residual-impact=2", "residual-level=low", "accepted-by=CRO", "accepted-on=2026-11-30"])
    }
}

import Foundation
import Testing

/// The date evidence speaks for, kept apart from when it was recorded (issue 30): `evidence add
/// --as-of DATE` and `--period FROM..TO`, shown in lists, the Statement of Applicability and
/// OSCAL; the engagement's `--stale-after` limit and the key figure counting evidence older
/// than it; bad dates and limits refused in one sentence, nothing written.
struct EvidenceDateCommandTests {
    @Test("--as-of and --period are recorded apart from the day recorded, and shown in lists, the SoA and OSCAL")
    func shown() throws {
        let ws = try CLIWorkspace()
        let policy = try ws.run("evidence", "add", try ws.file("policy.pdf", "policy").path, "--requirement", "A.2.2", "--as-of", "2024-05-01", "--json").json
        #expect(policy["as_of"] as? String == "2024-05-01")
        #expect((policy["created"] as? String)?.hasPrefix("2024") == false, "recorded today, not on the date it speaks for")
        let log = try ws.run("evidence", "add", try ws.file("access.csv", "log").path, "--requirement", "A.2.2",
                             "--period", "2026-01-01..2026-03-31", "--json").json
        #expect(log["period_from"] as? String == "2026-01-01" && log["period_to"] as? String == "2026-03-31")
        #expect(try ws.ok("evidence", "list").contains("access.csv  3 bytes  period 2026-01-01 to 2026-03-31"))

        let soa = try ws.run("report", "soa", "--format", "json").json
        let control = try #require((soa["controls"] as? [[String: Any]])?.first { $0["control"] as? String == "iso42001:A.2.2" })
        let files = try #require(control["evidence"] as? [[String: Any]])
        #expect(files.contains { $0["filename"] as? String == "policy.pdf" && $0["as_of"] as? String == "2024-05-01" })
        #expect(files.contains { $0["period_from"] as? String == "2026-01-01" && $0["period_to"] as? String == "2026-03-31" })
        let html = try ws.ok("report", "soa", "--format", "html")
        #expect(html.contains("policy.pdf (as of 2024-05-01)") && html.contains("access.csv (period 2026-01-01 to 2026-03-31)"))
        let oscal = try ws.ok("export", "oscal")
        #expect(oscal.contains("\"name\" : \"as-of\"") && oscal.contains("\"value\" : \"2024-05-01\""))
        #expect(oscal.contains("\"name\" : \"period-end\""))
    }

    @Test("the engagement's --stale-after limit counts evidence older than it in the key figures of every format")
    func stale() throws {
        let ws = try CLIWorkspace()
        try ws.ok("evidence", "add", try ws.file("old.pdf", "old").path, "--requirement", "GV-1.1", "--as-of", "2020-01-31")
        try ws.ok("evidence", "add", try ws.file("log.csv", "log").path, "--requirement", "GV-1.1", "--period", "2019-01-01..2019-12-31")
        try ws.ok("evidence", "add", try ws.file("new.pdf", "new").path, "--requirement", "GV-1.1")
        func figures() throws -> [String: Any] {
            let kpis = try #require(try ws.run("report", "gap", "--framework", "nist-ai-rmf", "--format", "json").json["kpis"] as? [String: Any])
            return try #require(kpis["evidence"] as? [String: Any])
        }
        #expect(try figures()["stale"] == nil, "no limit, no figure")
        #expect(!(try ws.ok("report", "risks", "--format", "md")).contains("older than"))
        let set = try ws.run("engagement", "set", "--stale-after", "12M", "--json").json
        #expect(set["stale_after"] as? String == "12m")
        #expect(try figures()["stale"] as? Int == 2 && figures()["stale_after"] as? String == "12m")
        #expect(try ws.ok("report", "risks", "--format", "md").contains("Evidence files: 3, unverified 0, 2 older than 12m."))
        #expect(try ws.ok("report", "risks", "--format", "html").contains("Evidence older than 12m<b>2</b>of 3"))
        #expect(try ws.run("report", "risks", "--format", "csv").stdout.contains(",evidence.stale,2\r\n"))
        #expect(try ws.export().contains("\"stale_after\" : \"12m\""))
        try ws.ok("engagement", "set", "--stale-after", "10y")
        #expect(try figures()["stale"] as? Int == 0)
    }

    @Test("bad dates, periods and limits are one sentence, exit 1, and write nothing", arguments: [
        (["--as-of", "2026-13-01"], "As of must be a date written YYYY-MM-DD"),
        (["--period", "2026-03-31..2026-01-01"], "The evidence period ends (2026-01-01) before it starts (2026-03-31)"),
        (["--period", "2026-01-01"], "A period is written FROM..TO"),
        (["--period", "2026-01-01..soon"], "Period to must be a date written YYYY-MM-DD"),
        (["--as-of", "2026-01-01", "--period", "2026-01-01..2026-02-01"], "--as-of or as --period, not both"),
    ])
    func refusals(options: [String], sentence: String) throws {
        let ws = try CLIWorkspace()
        try ws.expectRefusal(["evidence", "add", try ws.file("policy.pdf", "policy").path, "--requirement", "GV-1.1"] + options,
                             status: 1, mentioning: sentence)
        let objects = (FileManager.default.subpaths(atPath: ws.folder.appendingPathComponent(".fieldbook/objects").path) ?? []).filter { $0.count > 2 }
        #expect(objects.isEmpty, "no bytes copied: \(objects)")
    }

    @Test("a stale-after limit that is not a count and a unit is refused", arguments: ["12", "a year", "0m", "12q"])
    func badLimit(limit: String) throws {
        let ws = try CLIWorkspace()
        try ws.expectRefusal(["engagement", "set", "--stale-after", limit], status: 1, mentioning: "Stale after must be a count and a unit (d, w, m or y)")
    }
}

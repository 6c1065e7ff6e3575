import Foundation
import Testing

/// Sampled tests through the real binary (issue 30), beside the interviews they are reported
/// with (`InterviewCommandTests`): recorded, listed and shown with `--json`; the drawn sample the same as an independent redraw (Scripts/redraw-sample.py);
/// refusals one sentence, their documented exit codes, nothing written; the requirement's page,
/// the reports, OSCAL and the audit package carry them; two assessors recording one item offline.
struct FieldworkTestCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let population = root.appendingPathComponent("Fixtures/sampling/model-changes.csv")

    private func tests(_ ws: CLIWorkspace) throws -> [[String: Any]] {
        try #require(try ws.run("test", "list", "--json").json["tests"] as? [[String: Any]])
    }

    private func items(_ document: [String: Any]) -> [[String: Any]] { document["items"] as? [[String: Any]] ?? [] }

    @Test("test add draws the pinned sample, the same as an independent redraw; record, show, list; a finding in one step")
    func sampledTest() throws {
        let ws = try CLIWorkspace()
        let added = try ws.run("test", "add", "Model releases approved", "--requirement", "A.6.2.5", "--population", Self.population.path,
                               "--size", "25", "--seed", "20261207", "--json").json
        let test = try #require(added["test"] as? [String: Any])
        let id = try #require(test["id"] as? String)
        #expect(test["population_sha256"] as? String == "1f686c3c209034e26abeff17730fa8bbb5962b18a71e1aad978cd1d647d48d98")
        #expect(test["population_rows"] as? Int == 120 && test["seed"] as? Int == 20_261_207 && test["size"] as? Int == 25)
        #expect(test["method"] as? String == "splitmix64-fisher-yates" && test["population_file"] as? String == "model-changes.csv")
        #expect(added["conclusion"] as? String == "not-started")
        // The items by row, each with its place in the draw: the same as Scripts/redraw-sample.py draws.
        let drawn = items(added).sorted { ($0["draw"] as? Int ?? 0) < ($1["draw"] as? Int ?? 0) }.map { "\($0["row"] ?? "")\t\($0["key"] ?? "")" }
        let (status, redraw) = try ExternalTool.run(["python3", Self.root.appendingPathComponent("Scripts/redraw-sample.py").path,
                                                     Self.population.path, "20261207", "25"])
        #expect(status == 0, "\(redraw)")
        let lines = redraw.split(separator: "\n").map(String.init)
        #expect(lines.first == "1f686c3c209034e26abeff17730fa8bbb5962b18a71e1aad978cd1d647d48d98" && lines.dropFirst().first == "120")
        #expect(Array(lines.dropFirst(2)) == drawn)
        #expect(drawn.first == "39\tCHG-1038")
        // Plain text: the id first, then the rows drawn.
        let text = try ws.ok("test", "add", "Access reviews", "--requirement", "A.6.2.5", "--population", Self.population.path,
                             "--frequency", "quarterly", "--seed", "1")
        let second = try #require(text.split(separator: "\n").first.map(String.init))
        #expect(text.contains("Drew 2 of 120 rows from model-changes.csv") && text.contains("with seed 1:"))

        let pass = try ws.run("test", "record", String(id.prefix(13)), "39", "--pass", "--json").json
        #expect(pass["result"] as? String == "pass" && pass["row"] as? Int == 39)
        let proof = try ws.file("CHG-1104.pdf", "release ticket without approval")
        let exception = try ws.ok("test", "record", id, "CHG-1104", "--exception", "Released without an approver", "--evidence", proof.path,
                                  "--finding", "--severity", "major")
        #expect(exception.contains("exception") && exception.contains("Finding "))
        let findings = try #require(try ws.run("finding", "list", "--json").json["findings"] as? [[String: Any]])
        #expect(findings.count == 1 && findings.first?["severity"] as? String == "major")
        #expect((findings.first?["title"] as? String)?.hasPrefix("Exception in sampled test: Model releases approved, row 106 (CHG-1104)") == true)
        let evidence = try #require(try ws.run("evidence", "list", "--json").json["evidence"] as? [[String: Any]])
        #expect(evidence.map { $0["filename"] as? String } == ["CHG-1104.pdf"])

        let shown = try ws.run("test", "show", id, "--json").json
        #expect(shown["conclusion"] as? String == "exceptions" && shown["summary"] as? String == "1 exception in 25 items (2 recorded)")
        let recorded = items(shown).filter { $0["result"] != nil }
        #expect(recorded.map { $0["row"] as? Int } == [39, 106])
        #expect(try ws.ok("test", "show", id).contains("row 106  CHG-1104  EXCEPTION: Released without an approver"))
        #expect(try tests(ws).compactMap { $0["conclusion"] as? String }.sorted() == ["exceptions", "not-started"])

        // The requirement's page and the gap report carry the conclusion.
        let page = try ws.run("show", "A.6.2.5", "--json").json
        let onPage = try #require(page["tests"] as? [[String: Any]])
        #expect(Set(onPage.compactMap { $0["id"] as? String }) == [id, second])
        #expect(onPage.first { $0["id"] as? String == id }?["conclusion"] as? String == "exceptions")
        #expect(try ws.ok("show", "A.6.2.5").contains("Model releases approved  1 exception in 25 items (2 recorded)"))
        #expect(try ws.ok("report", "gap", "--framework", "iso42001", "--format", "md").contains("Sampled test Model releases approved: 1 exception in 25 items"))
        // The workpaper in every format, XLSX by an outside reader too.
        for format in ["md", "html", "csv", "json", "docx", "xlsx"] {
            let file = ws.folder.appendingPathComponent("workpapers.\(format)")
            try ws.ok("report", "workpapers", "--format", format, "-o", file.path)
            #expect(try Data(contentsOf: file).count > 200, "\(format)")
        }
        #expect(try String(contentsOf: ws.folder.appendingPathComponent("workpapers.md"), encoding: .utf8).contains("Released without an approver"))
        let (read, cells) = try ExternalTool.run(["python3", "-c", """
            import sys, openpyxl
            sheet = openpyxl.load_workbook(sys.argv[1]).active
            rows = [[c.value for c in row] for row in sheet.iter_rows()]
            print(rows[0][0], rows[0][13], len(rows), [r[16] for r in rows if r[15] == 'exception'])
            """, ws.folder.appendingPathComponent("workpapers.xlsx").path])
        #expect(read == 0 && cells.contains("section key 28 ['Released without an approver']"), "\(cells)")
        // LibreOffice reads the workbook too: its CSV of the sheet holds the same 28 rows.
        let (probe, _) = try ExternalTool.run(["sh", "-c", "command -v soffice"])
        guard probe == 0 else {
            print("Note: LibreOffice (soffice) is not installed; the workpaper's XLSX is checked by openpyxl only.")
            return
        }
        let converted = ws.folder.appendingPathComponent("libreoffice")
        let (status2, log) = try ExternalTool.run(["env", "HOME=\(ws.folder.path)", "soffice", "--headless", "--norestore", "--convert-to", "csv",
                                                   "--outdir", converted.path, ws.folder.appendingPathComponent("workpapers.xlsx").path])
        let csv = converted.appendingPathComponent("workpapers.csv")
        guard status2 == 0, FileManager.default.fileExists(atPath: csv.path) else {
            print("Note: LibreOffice could not convert spreadsheets here (no Calc?): \(log.prefix(200)); checked by openpyxl only.")
            return
        }
        let (parsed, counted) = try ExternalTool.run(["python3", "-c", "import csv, sys; rows = list(csv.reader(open(sys.argv[1], newline=''))); "
                                                      + "print(len(rows), rows[0][0], sum(1 for r in rows if 'Released without an approver' in r))", csv.path])
        #expect(parsed == 0 && counted.hasPrefix("28 section 1"), "\(counted)")
    }

    @Test("test refusals: not CSV, larger than the population, unknown test or item, both or neither of --pass and --exception")
    func refusals() throws {
        let ws = try CLIWorkspace()
        let small = try ws.file("three.csv", "id,date\nA,2026-01-01\nB,2026-01-02\nC,2026-01-03\n")
        let workbook = try ws.file("tickets.xlsx", "PK")
        try ws.expectRefusal(["test", "add", "T", "--requirement", "A.6.2.5", "--population", workbook.path, "--size", "1"], status: 1,
                             mentioning: "tickets.xlsx is not a CSV file")
        let renamed = ws.folder.appendingPathComponent("renamed.csv")
        try Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00]).write(to: renamed)
        try ws.expectRefusal(["test", "add", "T", "--requirement", "A.6.2.5", "--population", renamed.path, "--size", "1"], status: 1,
                             mentioning: "renamed.csv is not CSV text")
        try ws.expectRefusal(["test", "add", "T", "--requirement", "A.6.2.5", "--population", small.path, "--size", "4"], status: 1,
                             mentioning: "A sample of 4 is larger than the population of 3 rows in three.csv")
        try ws.expectRefusal(["test", "add", "T", "--requirement", "A.6.2.5", "--population", small.path, "--frequency", "weekly"], status: 1,
                             mentioning: "A sample of 15 is larger than the population of 3 rows")
        try ws.expectRefusal(["test", "add", "T", "--requirement", "A.6.2.5", "--population", small.path], status: 1, mentioning: "--size N")
        try ws.expectRefusal(["test", "add", "T", "--requirement", "A.6.2.5", "--population", small.path, "--size", "1", "--frequency", "daily"], status: 1)
        try ws.expectRefusal(["test", "add", "T", "--requirement", "A.6.2.5", "--population", small.path, "--frequency", "hourly"], status: 1,
                             mentioning: "one of annual, quarterly, monthly, weekly, daily, multiple-daily")
        try ws.expectRefusal(["test", "add", "T", "--population", small.path, "--size", "1"], status: 1, mentioning: "needs the requirement")
        try ws.expectRefusal(["test", "add", "T", "--requirement", "A.6.2.5", "--population", "absent.csv", "--size", "1"], status: 2)
        try ws.expectRefusal(["test", "add", "T", "--requirement", "A.6.2.5", "--population", small.path, "--size", "1", "--seed", "18446744073709551615"],
                             status: 1, mentioning: "--seed must be 0 to 9223372036854775807")
        let id = try ws.ok("test", "add", "T", "--requirement", "A.6.2.5", "--population", small.path, "--size", "3", "--seed", "5")
            .split(separator: "\n")[0]
        try ws.expectRefusal(["test", "record", "0193ffff-ffff", "2", "--pass"], status: 2, mentioning: "No test '0193ffff-ffff'")
        try ws.expectRefusal(["test", "record", String(id), "9", "--pass"], status: 2, mentioning: "drew no item '9'")
        try ws.expectRefusal(["test", "record", String(id), "2"], status: 1, mentioning: "--pass, or --exception TEXT")
        try ws.expectRefusal(["test", "record", String(id), "2", "--pass", "--exception", "x"], status: 1)
        try ws.expectRefusal(["test", "record", String(id), "2", "--pass", "--finding"], status: 1, mentioning: "--finding raises a finding")
        try ws.expectRefusal(["test", "record", String(id), "2", "--exception", "x", "--evidence", "gone.pdf"], status: 2)
        try ws.expectRefusal(["test", "show", "0193ffff-ffff"], status: 2)
        let refusal = try ws.run("test", "add", "T", "--requirement", "A.6.2.5", "--population", small.path, "--size", "9")
        #expect(refusal.stderr.split(separator: "\n").count == 1, "\(refusal.stderr)")
        #expect(try ws.ok("test", "delete", String(id)).hasPrefix("Deleted test"))
        try ws.expectRefusal(["test", "record", String(id), "2", "--pass"], status: 3, mentioning: "is deleted")
    }

    @Test("two assessors record one test item offline; after a bundle each way both hold the same state, the concurrent result a conflict")
    func merge() throws {
        let ana = try CLIWorkspace(assessor: "Ana")
        let id = try #require(try ana.ok("test", "add", "Model releases approved", "--requirement", "A.6.2.5", "--population", Self.population.path,
                                         "--size", "5", "--seed", "20261207").split(separator: "\n").first.map(String.init))
        try ana.ok("interview", "add", "--with", "Dana Lee, Head of ML", "--date", "2026-03-02", "--requirement", "A.6.2.5")
        let first = ana.folder.appendingPathComponent("a1.fbbundle").path
        try ana.ok("bundle", "export", "-o", first)
        let ben = try CLIWorkspace(initialize: false)
        try ben.ok("clone", first, "--assessor", "Ben")
        try ana.ok("test", "record", id, "39", "--pass")
        try ben.ok("test", "record", id, "39", "--exception", "Approved a day after release")
        try ben.ok("test", "record", id, "106", "--pass")
        let a2 = ana.folder.appendingPathComponent("a2.fbbundle").path, b2 = ben.folder.appendingPathComponent("b2.fbbundle").path
        try ana.ok("bundle", "export", "-o", a2)
        try ben.ok("bundle", "export", "-o", b2)
        try ana.ok("bundle", "import", b2)
        try ben.ok("bundle", "import", a2)
        #expect(try ana.export() == ben.export())
        let export = try #require(try JSONSerialization.jsonObject(with: Data(ana.export().utf8)) as? [String: Any])
        #expect((export["tests"] as? [Any])?.count == 1 && (export["samples"] as? [Any])?.count == 5 && (export["interviews"] as? [Any])?.count == 1)
        let conflicts = try #require(try ana.run("conflicts", "--json").json["conflicts"] as? [[String: Any]])
        #expect(conflicts.map { $0["field"] as? String } == ["result"])
        let shown = try ben.run("test", "show", id, "--json").json
        #expect(items(shown).first { $0["row"] as? Int == 106 }?["result"] as? String == "pass")
        #expect(try ben.ok("test", "show", id).contains("(conflict: result)"))
        let item = try #require(conflicts.first?["entity"] as? String)
        try ana.ok("resolve", item, "result", "--keep", "Ben")
        #expect(items(try ana.run("test", "show", id, "--json").json).first { $0["row"] as? Int == 39 }?["result"] as? String == "exception")
    }

    @Test("OSCAL: interviews are INTERVIEW observations, tests TEST, files EXAMINE; the result names them; the document validates")
    func oscal() throws {
        let ws = try CLIWorkspace()
        try ws.ok("assess", "A.6.2.5", "--result", "partially-compliant")
        try ws.ok("evidence", "add", try ws.file("policy.pdf", "policy").path, "--requirement", "A.6.2.5")
        try ws.ok("interview", "add", "--with", "Dana Lee, Head of ML", "--date", "2026-03-02", "--requirement", "A.6.2.5")
        let id = try #require(try ws.ok("test", "add", "Model releases approved", "--requirement", "A.6.2.5", "--population", Self.population.path,
                                        "--size", "2", "--seed", "20261207").split(separator: "\n").first.map(String.init))
        try ws.ok("test", "record", id, "39", "--exception", "No approver")
        let file = ws.folder.appendingPathComponent("oscal.json")
        try ws.ok("export", "oscal", "-o", file.path)
        let text = try String(contentsOf: file, encoding: .utf8)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let results = try #require((document["assessment-results"] as? [String: Any])?["results"] as? [[String: Any]])
        let observations = try #require(results.first?["observations"] as? [[String: Any]])
        let methods = Set(observations.flatMap { $0["methods"] as? [String] ?? [] })
        #expect(methods.isSuperset(of: ["EXAMINE", "INTERVIEW", "TEST"]))
        let assessment = try #require(observations.first { $0["title"] as? String == "Assessment of A.6.2.5" })
        #expect(assessment["methods"] as? [String] == ["EXAMINE", "INTERVIEW", "TEST"])
        let test = try #require(observations.first { $0["title"] as? String == "Model releases approved" })
        #expect((test["description"] as? String)?.contains("Exceptions: row 39 (CHG-1038): No approver.") == true)
        let (status, output) = try ReportCommandTests.validateOSCAL(file)
        #expect(status == 0, "\(output)")
        // The audit package holds the workpapers, as a workbook too.
        let package = ws.folder.appendingPathComponent("audit.zip")
        try ws.ok("export", "package", "-o", package.path)
        let (listed, names) = try ExternalTool.run(["unzip", "-l", package.path])
        #expect(listed == 0 && names.contains("reports/workpapers.html") && names.contains("reports/workpapers.xlsx") && names.contains("reports/workpapers.docx"))
        #expect(try ws.ok("package", "verify", package.path).isEmpty == false)
    }
}

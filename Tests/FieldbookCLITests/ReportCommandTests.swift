import Foundation
import Testing

/// Reports on the sample engagement (Fixtures/sample-engagement/build.sh), checked against
/// figures this test computes itself from the canonical export and the crosswalk file.
@Suite(.serialized)
struct ReportCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func sample() throws -> CLIWorkspace {
        let ws = try CLIWorkspace(initialize: false)
        let build = Process()
        build.executableURL = root.appendingPathComponent("Fixtures/sample-engagement/build.sh")
        build.arguments = [ws.folder.path]
        build.environment = ProcessInfo.processInfo.environment.merging(["FIELDBOOK": FieldbookProcess.binary.path]) { $1 }
        build.standardOutput = FileHandle.nullDevice
        try build.run()
        build.waitUntilExit()
        #expect(build.terminationStatus == 0)
        return ws
    }

    /// NIST's assessment-results schema check (Scripts/validate-oscal.py) on an exported file.
    static func validateOSCAL(_ file: URL) throws -> (Int32, String) {
        try python("import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')",
                   [root.appendingPathComponent("Scripts/validate-oscal.py").path, file.path])
    }

    static func python(_ script: String, _ arguments: [String]) throws -> (Int32, String) {
        try ExternalTool.run(["python3", "-c", script] + arguments)
    }

    @Test("gap report figures match an independent count, and JSON is byte-identical run to run")
    func gapFigures() throws {
        let ws = try Self.sample()
        let export = try #require(try JSONSerialization.jsonObject(with: Data(ws.export().utf8)) as? [String: Any])
        var statuses: [String: String] = [:]
        for result in export["results"] as? [[String: Any]] ?? [] {
            let id = (result["id"] as! String).replacingOccurrences(of: "result:", with: "")
            statuses[id] = (result["fields"] as? [String: Any])?["status"] as? String
        }
        let first = try ws.run("report", "gap", "--framework", "iso42001", "--format", "json")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try ws.run("report", "gap", "--framework", "iso42001", "--format", "json").stdout == first.stdout)
        let report = try first.json
        let rows = try #require(report["rows"] as? [[String: Any]])
        #expect(rows.count == 70)
        let iso = statuses.filter { $0.key.hasPrefix("iso42001:") && $0.value != "not-assessed" }
        let kpis = try #require(report["kpis"] as? [String: Any])
        let figures = try #require((kpis["frameworks"] as? [[String: Any]])?.first { $0["framework"] as? String == "iso42001" })
        #expect(figures["assessed"] as? Int == iso.count)
        let compliant = Double(iso.values.filter { $0 == "compliant" }.count) / Double(iso.count) * 100
        #expect(abs((figures["compliant_percent"] as? Double ?? -1) - compliant) < 0.06)
        #expect(rows.filter { $0["status"] as? String != nil }.count == iso.count)

        // Crosswalk agreement, counted straight from the catalog file.
        let crosswalk = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.root.appendingPathComponent(
            "Sources/FieldbookCatalogs/Resources/catalogs/crosswalk-nist-ai-rmf-iso42001.json"))) as! [String: Any]
        let judged: Set<String> = ["compliant", "partially-compliant", "non-compliant"]
        var agree = 0, disagree = 0
        for row in crosswalk["mappings"] as! [[String: Any]] {
            guard let left = statuses[row["source_id"] as! String], let right = statuses[row["target_id"] as! String],
                  judged.contains(left), judged.contains(right) else { continue }
            if left == right { agree += 1 } else { disagree += 1 }
        }
        let cross = try #require(kpis["crosswalk"] as? [String: Any])
        #expect(cross["agree"] as? Int == agree && cross["disagree"] as? Int == disagree)
        #expect((cross["disagreements"] as? [Any])?.count == disagree)
        #expect(agree + disagree > 0)

        // Inferred coverage appears only on rows not assessed, never mixed with results.
        for row in rows {
            if row["status"] as? String != nil { #expect(row["inferred"] == nil || row["inferred"] is NSNull) }
        }
        let control = try #require(rows.first { $0["requirement"] as? String == "iso42001:A.6.2.6" })
        #expect(control["evidence"] as? Int == 1)
        let nist = try ws.run("report", "gap", "--framework", "nist-ai-rmf", "--format", "json").json
        let inferredRow = try #require((nist["rows"] as? [[String: Any]])?.first { $0["requirement"] as? String == "nist-ai-rmf:MEASURE-2.6" })
        let inferred = try #require(inferredRow["inferred"] as? [String: Any])
        #expect((inferred["related"] as? [[String: Any]])?.contains { $0["requirement"] as? String == "iso42001:A.6.2.4" && $0["status"] as? String == "partially-compliant" } == true)
        #expect((inferred["available_evidence"] as? [Any])?.isEmpty == false)
    }

    @Test("CSV reports parse with a real CSV reader into one rectangular table")
    func csv() throws {
        let ws = try Self.sample()
        for arguments in [["report", "gap", "--framework", "nist-ai-rmf", "--format", "csv"], ["report", "risks", "--format", "csv"]] {
            let output = try ws.run(arguments)
            #expect(output.status == 0)
            let file = ws.folder.appendingPathComponent("report.csv")
            try Data(output.stdout.utf8).write(to: file)
            let (status, text) = try Self.python("""
                import csv, sys
                rows = list(csv.reader(open(sys.argv[1], newline='')))
                widths = {len(r) for r in rows}
                print(len(rows), sorted(widths), sum(1 for r in rows if r[0] == 'requirement'), sum(1 for r in rows if r[0] == 'risk'), sum(1 for r in rows if r[0] == 'kpi'))
                """, [file.path])
            #expect(status == 0, "\(text)")
            let parts = text.split(separator: " ")
            // One rectangular table: the gap report's 18 columns (interviews and tests included), the register's 20 (its treatment's 7 included).
            #expect(parts.count >= 4 && text.contains(arguments[1] == "gap" ? "[18]" : "[20]"), "\(text)")
            if arguments[1] == "gap" { #expect(text.contains(" 72 "), "\(text)") } else { #expect(text.contains(" 3 "), "\(text)") }
        }
    }

    @Test("HTML escapes hostile text and carries an inline SVG heat map with no script")
    func html() throws {
        let ws = try Self.sample()
        try ws.run("risk", "add", "<script>alert('x')</script> & \"quotes\"", "--likelihood", "5", "--impact", "5")
        let risks = try ws.run("report", "risks", "--format", "html")
        #expect(risks.status == 0)
        #expect(!risks.stdout.contains("<script>"))
        #expect(risks.stdout.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;"))
        #expect(risks.stdout.contains("<svg") && risks.stdout.contains("</svg>"))
        #expect(!risks.stdout.contains("http://") || risks.stdout.contains("xmlns=\"http://www.w3.org/2000/svg\""))
        let gap = try ws.run("report", "gap", "--framework", "iso42001", "--format", "html", "-o", ws.folder.appendingPathComponent("gap.html").path)
        #expect(gap.status == 0)
        let html = try String(contentsOf: ws.folder.appendingPathComponent("gap.html"), encoding: .utf8)
        #expect(html.contains("inferred, not assessed") && html.hasPrefix("<!DOCTYPE html>"))
        let markdown = try ws.run("report", "risks", "--format", "md").stdout
        #expect(markdown.contains("| critical | 25 | 5 | 5 |"))
    }

    @Test("the OSCAL export validates against NIST's assessment-results schema")
    func oscal() throws {
        let ws = try Self.sample()
        let file = ws.folder.appendingPathComponent("ar.json")
        #expect(try ws.run("export", "oscal", "-o", file.path).status == 0)
        let (status, output) = try Self.validateOSCAL(file)
        #expect(status == 0, "\(output)")
        #expect(output.hasPrefix("0 errors"))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        let result = try #require(((document["assessment-results"] as? [String: Any])?["results"] as? [[String: Any]])?.first)
        // Evidence hashes are in back-matter resources, as OSCAL has them, not in props of Fieldbook's own.
        let resources = ((document["assessment-results"] as? [String: Any])?["back-matter"] as? [String: Any])?["resources"] as? [[String: Any]] ?? []
        #expect(resources.contains { (($0["rlinks"] as? [[String: Any]])?.first?["hashes"] as? [[String: Any]])?.first?["algorithm"] as? String == "SHA-256" })
        #expect((result["risks"] as? [Any])?.count == 3)
    }

    @Test("reports on a workspace with nothing assessed work")
    func empty() throws {
        let ws = try CLIWorkspace()
        for format in ["md", "html", "csv", "json"] {
            #expect(try ws.run("report", "gap", "--framework", "nist-ai-rmf", "--format", format).status == 0)
            #expect(try ws.run("report", "risks", "--format", format).status == 0)
        }
        let file = ws.folder.appendingPathComponent("ar.json")
        #expect(try ws.run("export", "oscal", "-o", file.path).status == 0)
        let (status, output) = try Self.validateOSCAL(file)
        #expect(status == 0, "\(output)")
        try ws.expectRefusal(["report", "gap", "--framework", "cobit"], status: 1)
        try ws.expectRefusal(["report", "gap", "--framework", "iso42001", "--format", "pdf"], status: 1)
    }
}

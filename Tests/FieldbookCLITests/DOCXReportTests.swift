import Foundation
import Testing

/// `report ... --format docx` through the real binary, each document opened with python-docx
/// (an independent reader of the format): the title block, heading styles, tables, the SoA's
/// signature block naming the approver, and Word bytes on a stdout that is not a terminal.
@Suite(.serialized)
struct DOCXReportTests {
    /// What python-docx reads from a document, as JSON: paragraphs with their style names,
    /// table cell texts, the page header, section orientations and the core properties.
    static let reader = """
        import docx, json, sys
        from docx.enum.section import WD_ORIENT
        d = docx.Document(sys.argv[1])
        print(json.dumps({
            "paragraphs": [[p.style.name, p.text] for p in d.paragraphs],
            "tables": [[[c.text for c in r.cells] for r in t.rows] for t in d.tables],
            "header": "\\n".join(p.text for p in d.sections[0].header.paragraphs),
            "footer": "\\n".join(p.text for p in d.sections[0].footer.paragraphs),
            "landscape": [s.orientation == WD_ORIENT.LANDSCAPE for s in d.sections],
            "title": d.core_properties.title, "author": d.core_properties.author, "status": d.core_properties.content_status,
        }))
        """

    /// A document as python-docx reads it.
    struct Document {
        let paragraphs: [(style: String, text: String)]
        let tables: [[[String]]]
        let header: String
        let footer: String
        let landscape: [Bool]
        let title: String
        let author: String
        let status: String

        init(_ file: URL) throws {
            let (status, output) = try ReportCommandTests.python(DOCXReportTests.reader, [file.path])
            #expect(status == 0, "python-docx could not read \(file.lastPathComponent): \(output)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "\(output)")
            paragraphs = (json["paragraphs"] as? [[String]] ?? []).map { ($0[0], $0[1]) }
            tables = json["tables"] as? [[[String]]] ?? []
            header = json["header"] as? String ?? ""
            footer = json["footer"] as? String ?? ""
            landscape = json["landscape"] as? [Bool] ?? []
            title = json["title"] as? String ?? ""
            author = json["author"] as? String ?? ""
            self.status = json["status"] as? String ?? ""
        }

        /// The title block: the first table, label to value.
        var titleBlock: [String: String] {
            Dictionary((tables.first ?? []).map { ($0[0], $0.count > 1 ? $0[1] : "") }, uniquingKeysWith: { first, _ in first })
        }

        func headings(_ level: Int) -> [String] { paragraphs.filter { $0.style == "Heading \(level)" }.map(\.text) }

        /// The table whose header row starts with `column`.
        func table(headed column: String) -> [[String]]? { tables.first { $0.first?.first == column } }
    }

    /// The sample engagement with one control excluded, and a risk whose title is hostile markup.
    static func engagement() throws -> CLIWorkspace {
        let ws = try ReportCommandTests.sample()
        for arguments in [["applicability", "set", "A.8.4", "--excluded", "--justification", "No external reporting obligation"],
                          ["risk", "add", "<script>alert('x')</script> & \"quotes\"", "--likelihood", "5", "--impact", "5"]] {
            let outcome = try ws.run(arguments)
            #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
        }
        return ws
    }

    static func write(_ ws: CLIWorkspace, _ report: [String], to name: String, _ extra: [String] = []) throws -> Document {
        let outcome = try ws.run(["report"] + report + ["--format", "docx", "-o", name] + extra)
        #expect(outcome.status == 0, "\(report): \(outcome.stderr)")
        return try Document(ws.folder.appendingPathComponent(name))
    }

    @Test("the SoA issued final names its approver in the title block and the signature block, and is not marked draft")
    func finalSoA() throws {
        let ws = try Self.engagement()
        let soa = try Self.write(ws, ["soa"], to: "soa.docx", ["--final", "--approved-by", "Dana Lee"])
        #expect(soa.paragraphs.first?.style == "Title" && soa.paragraphs.first?.text == "Statement of Applicability")
        let block = soa.titleBlock
        #expect(block["Engagement"] == "Acme Credit AI governance review")
        #expect(block["Scope"] == "Credit scoring model CS-7 and the customer chat assistant")
        #expect(block["Assessors"] == "Ana Ruiz")
        #expect(block["Status"] == "final" && block["Approved by"] == "Dana Lee")
        #expect(block["Version"]?.isEmpty == false && block["Generated"]?.count == 10)
        #expect(soa.headings(1) == ["Summary", "Annex A controls", "Approval"])
        let signature = try #require(soa.tables.last)
        #expect(signature.map { $0.first ?? "" } == ["Prepared by", "Approved by", "Signature", "Date"])
        #expect(signature[0].last == "Ana Ruiz" && signature[1].last == "Dana Lee")
        #expect(!soa.header.contains("DRAFT") && soa.header.contains("Acme Credit AI governance review"))
        #expect(soa.footer.contains("Page") && soa.footer.contains(" of "))
        #expect(soa.landscape == [true])
        #expect(soa.title == "Statement of Applicability" && soa.author == "Ana Ruiz" && soa.status == "Final")
        let controls = try #require(soa.table(headed: "control"))
        #expect(controls.count == 39, "38 Annex A controls under the header row")
        let excluded = try #require(controls.first { $0[0].hasPrefix("A.8.4") })
        #expect(excluded[1] == "excluded" && excluded[2] == "No external reporting obligation")
    }

    @Test("gap, risks, progress and findings open in python-docx with their title block, headings and tables")
    func otherReports() throws {
        let ws = try Self.engagement()
        let gap = try Self.write(ws, ["gap", "--framework", "iso42001"], to: "gap.docx")
        #expect(gap.titleBlock["Status"] == "draft" && gap.titleBlock["Approved by"] == nil)
        #expect(gap.header.hasPrefix("DRAFT"))
        #expect(gap.headings(1) == ["Key figures", "Roll-up", "Requirements"])
        #expect(gap.landscape == [false, true], "the requirements turn to landscape")
        let rows = try #require(gap.table(headed: "requirement"))
        let control = try #require(rows.first { $0[0].hasPrefix("A.8.4") })
        #expect(control[1].contains("excluded") && control[6].contains("excluded: No external reporting obligation"))
        let clause = try #require(rows.first { $0[0].hasPrefix("6.1.4") })
        #expect(clause[6].contains("No AI system impact assessment for CS-7"), "the finding is listed under the row it touches")
        #expect(rows.contains { $0[1].hasPrefix("inferred, not assessed: ") })

        let risks = try Self.write(ws, ["risks"], to: "risks.docx")
        #expect(risks.headings(1) == ["Heat map", "Register", "Key figures"])
        let heatMap = try #require(risks.table(headed: "likelihood \\ impact"))
        #expect(heatMap.map { $0[0] } == ["likelihood \\ impact", "5", "4", "3", "2", "1"])
        #expect(heatMap[1][5] == "1" && heatMap[2][5] == "1", "the hostile risk at 5x5 and the sample's at 4x5")
        let register = try #require(risks.table(headed: "level"))
        #expect(register.contains { $0[4] == "<script>alert('x')</script> & \"quotes\"" }, "hostile text shown as typed")
        #expect(register.contains { $0[4] == "Unfair outcomes for older applicants" && $0[0] == "critical" })

        let progress = try Self.write(ws, ["progress", "--by", "quarter"], to: "progress.docx")
        #expect(progress.paragraphs.first?.text == "Progress by quarter")
        #expect(progress.headings(1) == ["Burn-up per quarter", "High and critical risks"])
        let periods = try #require(progress.table(headed: "quarter"))
        #expect(periods.count >= 2 && periods[1][0].contains("-Q"))

        let findings = try Self.write(ws, ["findings"], to: "findings.docx")
        #expect(findings.paragraphs.first?.text == "Corrective-action register")
        let register2 = try #require(findings.table(headed: "finding"))
        #expect(register2.count == 3)
        #expect(register2.contains { $0[0].contains("No AI system impact assessment for CS-7") && $0[1] == "major" && $0[3] == "CRO" })
        #expect(findings.landscape == [true])
    }

    @Test("with no -o, a Word document goes to a stdout that is not a terminal, the same bytes as the file")
    func stdout() throws {
        let ws = try Self.engagement()
        _ = try Self.write(ws, ["risks"], to: "risks.docx")
        let outcome = try RawProcess.run(FieldbookProcess.binary.path, [["report", "risks", "--format", "docx"]].flatMap { $0.map { Array($0.utf8) } },
                                         in: ws.folder, timeout: 60)
        #expect(outcome.status == 0, "\(outcome.stderrText)")
        #expect(outcome.stdout.starts(with: [0x50, 0x4B, 0x03, 0x04]), "a ZIP container")
        #expect(outcome.stdout == (try Data(contentsOf: ws.folder.appendingPathComponent("risks.docx"))), "deterministic bytes")
        let piped = ws.folder.appendingPathComponent("piped.docx")
        try outcome.stdout.write(to: piped)
        #expect(try Document(piped).headings(1) == ["Heat map", "Register", "Key figures"])
    }
}

import FieldbookCatalogs
import FieldbookModel
import FieldbookReplica
import FieldbookReports
import FieldbookStore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import ZIPFoundation

/// The Word documents: every part a well-formed XML document in a fixed order, the title
/// block and heading outline, table headers repeated on each page, the signature block on the
/// Statement of Applicability, hostile workspace text escaped yet present, and the same
/// bytes from two renders of one report.
struct DOCXTests {
    /// Markup, quotes and characters XML 1.0 forbids (NUL, BEL, vertical tab, U+FFFE).
    static let hostile = "<script>alert('x')</script> & \"Co\"\u{0}\u{7}\u{B}\u{FFFE} Ltd"
    /// What a reader sees of it: the markup as text, the forbidden characters gone.
    static let shown = "<script>alert('x')</script> & \"Co\" Ltd"
    static let parts = ["[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml", "word/document.xml",
                        "word/styles.xml", "word/settings.xml", "word/header1.xml", "word/footer1.xml", "word/_rels/document.xml.rels"]

    // MARK: Tests

    @Test("every report is a package of well-formed parts in a fixed order, opening with the title block")
    func packagesAndTitleBlocks() throws {
        let fixture = try DOCXFixture()
        for (name, data) in try fixture.renders() {
            let package = try DOCXArchive(data)
            #expect(package.order == Self.parts, "\(name)")
            for (path, bytes) in package.files where path.hasSuffix(".xml") || path.hasSuffix(".rels") {
                #expect(throws: Never.self, "\(name) \(path) is not well-formed") { try XMLDocument(data: bytes, options: []) }
            }
            let body = try package.xml("word/document.xml")
            let first = try #require(WordXML.all("w:p", in: body).first)
            #expect(WordXML.style(of: first) == "Title", "\(name)")
            let titleBlock = try #require(WordXML.all("w:tbl", in: body).first)
            let fields = Dictionary(WordXML.rows(of: titleBlock).map { ($0[0], $0.count > 1 ? $0[1] : "") }, uniquingKeysWith: { a, _ in a })
            #expect(fields["Engagement"] == Self.shown, "\(name)")
            #expect(fields["Scope"] == "Credit scoring & <chat>", "\(name)")
            #expect(fields["Assessors"] == "Ana Ruiz, Ben O'Neil <ben>", "\(name)")
            #expect(fields["Generated"] == "2026-03-04", "\(name)")
            #expect(fields["Version"] == "7.0a1b2c3d", "\(name)")
            #expect(fields["Status"] == "final", "\(name)")
            #expect(fields["Approved by"] == "Dana & Lee", "\(name)")
        }
    }

    @Test("headings form an outline: Heading1-3 carry outline levels 0-2, and every report has its sections")
    func headingOutline() throws {
        let fixture = try DOCXFixture()
        let styles = try DOCXArchive(fixture.renders()[0].1).xml("word/styles.xml")
        for level in 1...3 {
            let style = try #require(WordXML.all("w:style", in: styles).first { $0.attribute("w:styleId") == "Heading\(level)" })
            #expect(WordXML.all("w:outlineLvl", in: style).first?.attribute("w:val") == "\(level - 1)")
        }
        let expected = [
            "gap": ["Key figures", "Roll-up", "Requirements"],
            "risks": ["Heat map", "Register", "Key figures"],
            "soa": ["Summary", "Annex A controls", "Approval"],
            "progress": ["Burn-up per month", "High and critical risks"],
            "findings": ["Summary", "Register"],
        ]
        for (name, data) in try fixture.renders() {
            let body = try DOCXArchive(data).xml("word/document.xml")
            let headings = WordXML.all("w:p", in: body).filter { WordXML.style(of: $0) == "Heading1" }.map(WordXML.text)
            #expect(headings == expected[name], "\(name): \(headings)")
        }
    }

    @Test("tables repeat their header row on every page, never split a row, and fit the page")
    func tables() throws {
        let fixture = try DOCXFixture()
        let mainTable = ["gap": "requirement", "risks": "level", "soa": "control", "progress": "month", "findings": "finding"]
        for (name, data) in try fixture.renders() {
            let body = try DOCXArchive(data).xml("word/document.xml")
            let landscape = WordXML.all("w:pgSz", in: body).contains { $0.attribute("w:orient") == "landscape" }
            var headed: [String] = []
            for table in WordXML.all("w:tbl", in: body) {
                let rows = WordXML.all("w:tr", in: table)
                #expect(rows.allSatisfy { !WordXML.all("w:cantSplit", in: $0).isEmpty }, "\(name): a row may split")
                #expect(rows.dropFirst().allSatisfy { WordXML.all("w:tblHeader", in: $0).isEmpty }, "\(name): a body row repeats")
                if let first = rows.first, !WordXML.all("w:tblHeader", in: first).isEmpty {
                    headed.append(WordXML.rows(of: table)[0][0])
                    let fills = WordXML.all("w:shd", in: first).compactMap { $0.attribute("w:fill") }
                    #expect(fills.count == WordXML.all("w:tc", in: first).count, "\(name): header cells unshaded")
                }
                let width = WordXML.all("w:gridCol", in: table).compactMap { $0.attribute("w:w").flatMap(Int.init) }.reduce(0, +)
                #expect(width <= (landscape ? 16838 : 11906) - 2 * 1134, "\(name): a table wider than the page")
            }
            #expect(headed.contains(mainTable[name] ?? "?"), "\(name): tables with a header row: \(headed)")
        }
        // The wide tables sit in landscape sections; the gap report turns for its requirements.
        let renders = Dictionary(uniqueKeysWithValues: try fixture.renders())
        for name in ["soa", "findings", "gap"] {
            let body = try DOCXArchive(try #require(renders[name])).xml("word/document.xml")
            #expect(WordXML.all("w:pgSz", in: body).contains { $0.attribute("w:orient") == "landscape" }, "\(name)")
        }
        let gap = try DOCXArchive(try #require(renders["gap"])).xml("word/document.xml")
        #expect(WordXML.all("w:sectPr", in: gap).count == 2)
    }

    @Test("the risk register's heat map is a coloured 5x5 grid, likelihood rising upwards")
    func heatMap() throws {
        let fixture = try DOCXFixture()
        let body = try DOCXArchive(try fixture.render(.risks)).xml("word/document.xml")
        let grid = try #require(WordXML.all("w:tbl", in: body).first { WordXML.rows(of: $0).first?.first == "likelihood \\ impact" })
        let rows = WordXML.all("w:tr", in: grid)
        #expect(rows.count == 6)
        #expect(WordXML.rows(of: grid).map { $0.first ?? "" } == ["likelihood \\ impact", "5", "4", "3", "2", "1"])
        // The fixture's one risk: likelihood 4, impact 5, score 20, critical.
        let row4 = WordXML.all("w:tc", in: rows[2])
        #expect(WordXML.text(row4[5]) == "1")
        #expect(WordXML.all("w:shd", in: row4[5]).first?.attribute("w:fill") == "E8787A")
        #expect(WordXML.all("w:shd", in: WordXML.all("w:tc", in: rows[5])[1]).first?.attribute("w:fill") == "CFE8D5")
    }

    @Test("gap rows show their findings, excluded controls with their justification, and inferred suggestions apart")
    func gapRows() throws {
        let fixture = try DOCXFixture()
        let body = try DOCXArchive(try fixture.render(.gap)).xml("word/document.xml")
        let table = try #require(WordXML.all("w:tbl", in: body).first { WordXML.rows(of: $0).first?.first == "requirement" })
        let rows = WordXML.all("w:tr", in: table)
        func row(_ ref: String) throws -> [String] {
            let found = try #require(rows.first { WordXML.all("w:p", in: $0).first.map(WordXML.text) == ref }, "no row \(ref)")
            return WordXML.all("w:tc", in: found).map { WordXML.all("w:p", in: $0).map(WordXML.text).joined(separator: "\n") }
        }
        let excluded = try row("A.8.4")
        #expect(excluded[1] == "not-assessed\nexcluded")
        #expect(excluded[6].contains("excluded: No external <reporting> obligation"))
        for ref in ["6.1.4", "A.6.2.4"] {
            let cells = try row(ref)
            #expect(cells[6].contains("• major No impact assessment for <CS-7> & co — open, due 2020-01-31 overdue"), "\(ref): \(cells[6])")
            #expect(cells[4] == "1", "\(ref) open findings")
        }
        // A requirement nobody assessed, with a related result, gets a row of its own spanning the rest.
        let inferred = rows.filter { row in WordXML.all("w:tc", in: row).contains { WordXML.text($0).hasPrefix("inferred, not assessed: ") } }
        #expect(!inferred.isEmpty)
        for row in inferred { #expect(WordXML.all("w:gridSpan", in: row).first?.attribute("w:val") == "6") }
    }

    @Test("the Statement of Applicability ends with a signature block naming preparers and approver")
    func signatureBlock() throws {
        for approver in ["Dana & Lee", nil] {
            let fixture = try DOCXFixture(status: approver == nil ? .draft : .final, approvedBy: approver)
            let package = try DOCXArchive(try fixture.render(.soa))
            let body = try package.xml("word/document.xml")
            let signature = try #require(WordXML.all("w:tbl", in: body).last)
            let rows = WordXML.rows(of: signature)
            #expect(rows.map { $0.first ?? "" } == ["Prepared by", "Approved by", "Signature", "Date"])
            #expect(rows[0].last == "Ana Ruiz, Ben O'Neil <ben>")
            #expect(rows[1].last == (approver ?? ""))
            // Blank lines to sign and date on are ruled, and an approver not yet named gets a line too.
            let cells = WordXML.all("w:tr", in: signature).map { WordXML.all("w:tc", in: $0)[1] }
            #expect(cells.map { !WordXML.all("w:bottom", in: $0).isEmpty } == [false, approver == nil, true, true])
            let header = String(decoding: try #require(package.files["word/header1.xml"]), as: UTF8.self)
            #expect(header.contains("DRAFT") == (approver == nil))
        }
    }

    @Test("workspace text is escaped, present, and stripped of characters XML forbids, in every part it reaches")
    func hostileText() throws {
        let fixture = try DOCXFixture()
        for (name, data) in try fixture.renders() {
            let package = try DOCXArchive(data)
            for path in ["word/document.xml", "word/header1.xml", "docProps/core.xml"] {
                let raw = String(decoding: try #require(package.files[path]), as: UTF8.self)
                #expect(!raw.contains("<script") && raw.contains("&lt;script&gt;"), "\(name) \(path)")
                #expect(!raw.unicodeScalars.contains { $0.value < 0x20 && ![0x9, 0xA, 0xD].contains($0.value) }, "\(name) \(path)")
                #expect(try package.xml(path).rootElement()?.stringValue?.contains(Self.shown) == true, "\(name) \(path)")
            }
        }
        // Risk titles, notes and findings from the workspace, in the documents that show them.
        let risks = try DOCXArchive(fixture.render(.risks)).xml("word/document.xml")
        #expect(WordXML.all("w:p", in: risks).map(WordXML.text).contains("Bias <b>&</b> \"drift\""))
        let findings = try DOCXArchive(fixture.render(.findings)).xml("word/document.xml")
        #expect(WordXML.all("w:p", in: findings).map(WordXML.text).contains("No impact assessment for <CS-7> & co"))
        // A line break in a note is Word's own break, not a raw line feed.
        let gap = try DOCXArchive(fixture.render(.gap)).xml("word/document.xml")
        let note = try #require(WordXML.all("w:p", in: gap).first { WordXML.text($0).hasPrefix("Validation done") })
        #expect(!WordXML.all("w:br", in: note).isEmpty)
    }

    @Test("core properties name the title, the assessors and the generation day; the footer counts pages")
    func properties() throws {
        let fixture = try DOCXFixture()
        let package = try DOCXArchive(try fixture.render(.soa))
        let core = try package.xml("docProps/core.xml")
        #expect(WordXML.all("dc:title", in: core).first.map(WordXML.text) == "Statement of Applicability")
        #expect(WordXML.all("dc:creator", in: core).first.map(WordXML.text) == "Ana Ruiz; Ben O'Neil <ben>")
        #expect(WordXML.all("dcterms:created", in: core).first.map(WordXML.text) == "2026-03-04T00:00:00Z")
        let footer = try package.xml("word/footer1.xml")
        #expect(WordXML.all("w:instrText", in: footer).map { WordXML.text($0).trimmingCharacters(in: .whitespaces) } == ["PAGE", "NUMPAGES"])
        #expect(WordXML.text(try #require(footer.rootElement())).contains("Page 1 of 1"))
    }

    @Test("two renders of one report are byte-identical, every entry dated the generation day")
    func deterministic() throws {
        let fixture = try DOCXFixture()
        let again = try DOCXFixture()
        for ((name, first), (_, second)) in zip(try fixture.renders(), try again.renders()) {
            #expect(first == second, "\(name) differs between renders")
            let archive = try Archive(data: first, accessMode: .read)
            for entry in archive {
                let day = entry.fileAttributes[.modificationDate] as? Date
                #expect(day == Date(timeIntervalSince1970: 1_772_582_400), "\(name) \(entry.path)")
            }
        }
    }
}

// MARK: DOCXFixture and readers

/// A workspace with a result (a note with a line break), a risk, a finding and an exclusion
/// holding hostile text, issued with a hostile engagement name.
final class DOCXFixture {
    enum Report { case gap, risks, soa, progress, findings }

    let folder: URL
    let data: ReportData
    let changes: [Change]

    init(status: DocumentControl.Status = .final, approvedBy: String? = "Dana & Lee") throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("fb-docx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let workspace = try Workspace.create(at: WorkspaceLocation(root: folder), engagement: EntityID("0193e100-0000-7000-8000-000000000001")!,
                                             assessor: "Ana Ruiz", engagementName: "Acme", scope: nil, now: 1_772_582_400_000)
        var result = EntityEdits<ResultField>(.result(for: RequirementID(qualified: "iso42001:A.6.2.4")!))
        try result.set(.status, AssessmentStatus.partiallyCompliant)
        try result.set(.note, "Validation done\nfairness <breached> & \"open\"")
        try workspace.domain.write(result)
        // An AI RMF result, so the crosswalk suggests something for ISO controls nobody assessed.
        var related = EntityEdits<ResultField>(.result(for: RequirementID(qualified: "nist-ai-rmf:MEASURE-2.11")!))
        try related.set(.status, AssessmentStatus.nonCompliant)
        try workspace.domain.write(related)
        var risk = EntityEdits<RiskField>(EntityID("0193e100-0000-7000-8000-0000000000a1")!)
        try risk.set(.title, "Bias <b>&</b> \"drift\"")
        try risk.set(.likelihood, 4)
        try risk.set(.impact, 5)
        risk.link(.requirements, ["iso42001:A.6.2.4"])
        try workspace.domain.write(risk)
        var finding = EntityEdits<FindingField>(EntityID("0193e100-0000-7000-8000-0000000000f1")!)
        try finding.set(.title, "No impact assessment for <CS-7> & co")
        try finding.set(.severity, FindingSeverity.major)
        try finding.set(.due, "2020-01-31")
        finding.link(.requirements, ["iso42001:6.1.4", "iso42001:A.6.2.4"])
        try workspace.domain.write(finding)
        var exclusion = EntityEdits<ApplicabilityField>(.applicability(for: RequirementID(qualified: "iso42001:A.8.4")!))
        try exclusion.set(.applicability, Applicability.excluded)
        try exclusion.set(.justification, "No external <reporting> obligation")
        try workspace.domain.write(exclusion)
        var data = try ReportData.load(workspace, library: try CatalogLibrary.bundled())
        data.document = DocumentControl(engagement: DOCXTests.hostile, engagementID: data.engagementID, scope: "Credit scoring & <chat>",
                                        assessors: ["Ana Ruiz", "Ben O'Neil <ben>"], generated: "2026-03-04", version: "7.0a1b2c3d",
                                        status: status, approvedBy: approvedBy)
        self.data = data
        changes = try workspace.log().map(\.change)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func render(_ report: Report) throws -> Data {
        switch report {
        case .gap: try ReportFormat.render(GapReport(framework: .iso42001, data: data), as: .docx)
        case .risks: try ReportFormat.render(RiskRegister(data: data), as: .docx)
        case .soa: try ReportFormat.render(StatementOfApplicability(data: data), as: .docx)
        case .progress: try ReportFormat.render(ProgressReport(changes: changes, document: data.document, library: data.library, by: .month), as: .docx)
        case .findings: try ReportFormat.render(FindingsRegister(data: data), as: .docx)
        }
    }

    /// Every report, by name, in a fixed order.
    func renders() throws -> [(String, Data)] {
        try [("gap", render(.gap)), ("risks", render(.risks)), ("soa", render(.soa)), ("progress", render(.progress)), ("findings", render(.findings))]
    }
}

/// A `.docx` opened with ZIPFoundation: its entries in archive order, and their bytes.
struct DOCXArchive {
    let order: [String]
    let files: [String: Data]

    init(_ data: Data) throws {
        let archive = try Archive(data: data, accessMode: .read)
        var order: [String] = [], files: [String: Data] = [:]
        for entry in archive {
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            order.append(entry.path)
            files[entry.path] = bytes
        }
        self.order = order
        self.files = files
    }

    func xml(_ path: String) throws -> XMLDocument {
        try XMLDocument(data: try #require(files[path], "no \(path)"), options: [])
    }
}

/// Reading WordprocessingML by qualified element name (FoundationXML's XPath cannot bind prefixes).
enum WordXML {
    static func all(_ name: String, in node: XMLNode) -> [XMLElement] {
        var found: [XMLElement] = []
        func walk(_ node: XMLNode) {
            for child in node.children ?? [] {
                if let element = child as? XMLElement {
                    if element.name == name { found.append(element) }
                    walk(element)
                }
            }
        }
        walk(node)
        return found
    }

    /// The text of a paragraph, cell or part: its `w:t` texts joined, or its own text when it has none.
    static func text(_ node: XMLNode) -> String {
        let runs = all("w:t", in: node)
        return runs.isEmpty ? (node.stringValue ?? "") : runs.map { $0.stringValue ?? "" }.joined()
    }

    static func style(of paragraph: XMLElement) -> String? {
        all("w:pStyle", in: paragraph).first?.attribute("w:val")
    }

    /// A table's rows as the texts of their cells.
    static func rows(of table: XMLElement) -> [[String]] {
        all("w:tr", in: table).map { row in all("w:tc", in: row).map(text) }
    }
}

extension XMLElement {
    func attribute(_ name: String) -> String? { attribute(forName: name)?.stringValue }
}

import FieldbookCatalogs
import FieldbookModel
import FieldbookReplica
@testable import FieldbookReports
import FieldbookStore
import Foundation
import Testing
import ZIPFoundation

/// Sampled tests (issue 30): the draw is the same on every machine and release, the population
/// file is read as documented, and the workpaper renders in every format.
struct SamplingTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/sampling")
    static let population = fixtures.appendingPathComponent("model-changes.csv")

    @Test("SplitMix64 gives the published reference outputs for seed 0")
    func splitMix64Reference() {
        var generator = SampleDraw(seed: 0)
        #expect([generator.next(), generator.next(), generator.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
    }

    @Test("the pinned sample: 25 rows of model-changes.csv with seed 20261207, as Scripts/redraw-sample.py draws them too")
    func pinnedSample() throws {
        let read = try PopulationFile.read(Self.population)
        #expect(read.sha256 == "1f686c3c209034e26abeff17730fa8bbb5962b18a71e1aad978cd1d647d48d98")
        #expect(read.rows.count == 120, "the blank line is no item")
        #expect(read.header == "ticket,released_on,model,approver")
        #expect(read.rows.first == Population.Row(number: 2, key: "CHG-1001"))
        #expect(read.rows.contains(Population.Row(number: 79, key: "CHG-1077, hotfix")), "a quoted key keeps its comma")
        let plan = TestPlan(title: "Model releases approved", requirements: ["iso42001:A.6.2.5"], population: read, size: 25, frequency: nil, seed: 20_261_207)
        let drawn = try plan.drawn()
        #expect(drawn.map(\.number) == [39, 106, 70, 3, 67, 79, 83, 54, 49, 58, 26, 108, 68, 66, 31, 29, 45, 32, 110, 116, 25, 71, 69, 74, 62])
        #expect(drawn[5].key == "CHG-1077, hotfix")
        #expect(Set(drawn.map(\.number)).count == 25, "no row twice")
        // A frequency sets the size from the documented table.
        #expect(try TestPlan(title: "t", requirements: [], population: read, size: nil, frequency: .daily, seed: 1).drawn().count == 40)
    }

    @Test("a population that is not CSV, has no rows, or is smaller than the sample is refused in one sentence")
    func refusals() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fb-sampling-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func file(_ name: String, _ bytes: [UInt8]) throws -> URL {
            let url = folder.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            return url
        }
        let cases: [(URL, String)] = [
            (try file("tickets.xlsx", Array("a,b\n1,2\n".utf8)), "tickets.xlsx is not a CSV file"),
            (try file("renamed.csv", [0x50, 0x4B, 0x03, 0x04, 0, 0]), "renamed.csv is not CSV text"),
            (try file("latin1.csv", [0x6E, 0x61, 0x6D, 0x65, 0x0A, 0xE9, 0x0A]), "latin1.csv is not CSV text"),
            (try file("empty.csv", []), "empty.csv has no header row"),
        ]
        for (url, sentence) in cases {
            do {
                _ = try PopulationFile.read(url)
                Issue.record("read \(url.lastPathComponent)")
            } catch let error as StoreError {
                #expect(error.description.hasPrefix(sentence), "\(error.description)")
            }
        }
        let small = try PopulationFile.read(try file("three.csv", Array("id\nA\nB\nC\n".utf8)))
        #expect(small.rows.map(\.number) == [2, 3, 4])
        let refusal1 = #expect(throws: StoreError.self) {
            try TestPlan(title: "t", requirements: [], population: small, size: 4, frequency: nil, seed: 1).drawn()
        }
        #expect(refusal1?.description == "A sample of 4 is larger than the population of 3 rows in three.csv; give --size 3 or less.")
        let headerOnly = try PopulationFile.read(try file("header.csv", Array("id,date\n\n".utf8)))
        #expect(throws: StoreError.self) { try TestPlan(title: "t", requirements: [], population: headerOnly, size: 1, frequency: nil, seed: 1).drawn() }
    }

    @Test("the workpaper in every format: the draw, each item's result, the conclusion; interviews below")
    func workpaper() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fb-workpaper-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = try Workspace.create(at: WorkspaceLocation(root: folder), engagement: EntityID("eng-workpaper")!, assessor: "Ana",
                                             signer: ChangeSigner(), engagementName: "Acme", scope: nil, now: 1_700_000_000_000)
        let plan = TestPlan(title: "Model releases approved", description: "An approver signed the release",
                            requirements: ["iso42001:A.6.2.5"], population: try PopulationFile.read(Self.population), size: nil,
                            frequency: .quarterly, seed: 20_261_207)
        let (test, drawn) = try workspace.domain.addTest(plan)
        #expect(drawn.map(\.number) == [39, 106])
        _ = try workspace.domain.recordItem(test: test.rawValue, item: "39", result: .pass, exception: nil)
        _ = try workspace.domain.recordItem(test: test.rawValue, item: "CHG-1104", result: .exception, exception: "No approver named", finding: .minor)
        var interview = EntityEdits<InterviewField>(EntityID(UUIDv7.make())!)
        try interview.set(.interviewee, "Dana Lee")
        try interview.set(.role, "Head of ML")
        try interview.set(.date, "2026-03-02")
        interview.link(.requirements, ["iso42001:A.6.2.5"])
        try workspace.domain.write(interview)

        let data = try ReportData.load(workspace, library: try CatalogLibrary.bundled())
        let workpapers = Workpapers(data: data)
        #expect(workpapers.tests.map(\.conclusion) == ["exceptions"])
        #expect(workpapers.tests[0].summary == "1 exception in 2 items")
        #expect(workpapers.tests[0].items.map(\.result) == ["pass", "exception"])
        #expect(workpapers.tests[0].items[1].findings.count == 1)

        let markdown = String(decoding: try ReportFormat.render(workpapers, as: .markdown), as: UTF8.self)
        #expect(markdown.contains("## Model releases approved"))
        #expect(markdown.contains("seed 20261207"))
        #expect(markdown.contains("1f686c3c209034e26abeff17730fa8bbb5962b18a71e1aad978cd1d647d48d98"))
        #expect(markdown.contains("| 106 | CHG-1104 | exception | No approver named |"), "\(markdown)")
        #expect(markdown.contains("Dana Lee, Head of ML"))
        let html = String(decoding: try ReportFormat.render(workpapers, as: .html), as: UTF8.self)
        #expect(html.contains("No approver named") && html.contains("Interviews"))
        let csv = String(decoding: try ReportFormat.render(workpapers, as: .csv), as: UTF8.self)
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[0] == Workpapers.dataHeader.joined(separator: ","))
        #expect(lines.filter { $0.hasPrefix("item,") }.count == 2 && lines.filter { $0.hasPrefix("interview,") }.count == 1)
        let json = String(decoding: try ReportFormat.render(workpapers, as: .json), as: UTF8.self)
        #expect(json.contains("\"conclusion\":\"exceptions\"") || json.contains("\"conclusion\" : \"exceptions\""))
        for format in [ReportFormat.docx, .xlsx] {
            let bytes = try ReportFormat.render(workpapers, as: format)
            let archive = try Archive(data: bytes, accessMode: .read)
            let part = format == .docx ? "word/document.xml" : "xl/worksheets/sheet1.xml"
            var xml = Data()
            _ = try archive.extract(try #require(archive[part]), consumer: { xml.append($0) })
            #expect(String(decoding: xml, as: UTF8.self).contains("No approver named"), "\(format)")
            #expect(try ReportFormat.render(workpapers, as: format) == bytes, "\(format) is byte-identical on the same state")
        }

        // The gap report carries the test's conclusion and the interview on the requirement's row.
        let gap = GapReport(framework: .iso42001, data: data)
        let row = try #require(gap.rows.first { $0.requirement == "iso42001:A.6.2.5" })
        #expect(row.interviews == 1 && row.tests.map(\.conclusion) == ["exceptions"])
        let gapMarkdown = String(decoding: try ReportFormat.render(gap, as: .markdown), as: UTF8.self)
        #expect(gapMarkdown.contains("Sampled test Model releases approved: 1 exception in 2 items"))
        // The key figures count the fieldwork, in every report that shows them.
        let figures = try #require(gap.kpis.fieldwork)
        #expect(figures.tests == 1 && figures.withExceptions == 1 && figures.itemsTested == 2 && figures.exceptions == 1 && figures.interviews == 1)
        #expect(gapMarkdown.contains("Fieldwork: 1 sampled test (0 passed, 1 with exceptions): 2 of 2 items tested, 1 exception; 1 interview."))
        let gapPage = String(decoding: try ReportFormat.render(gap, as: .html), as: UTF8.self)
        #expect(gapPage.contains("Sampled tests with exceptions<b>1</b>of 1; 2 of 2 items tested; interviews: 1"))
        #expect(String(decoding: try ReportFormat.render(gap, as: .csv), as: UTF8.self).contains(",fieldwork.exceptions,1\r\n"))
        // The Statement of Applicability names them beside the control's evidence files.
        let soa = StatementOfApplicability(data: data)
        let control = try #require(soa.controls.first { $0.control == "iso42001:A.6.2.5" })
        #expect(control.interviews == ["Dana Lee, Head of ML (2026-03-02)"] && control.tests == ["Model releases approved: 1 exception in 2 items"])
        #expect(soa.controls.first { $0.control == "iso42001:A.6.2.4" }?.interviews == nil)
        let soaPage = String(decoding: try ReportFormat.render(soa, as: .html), as: UTF8.self)
        #expect(soaPage.contains("interview: Dana Lee, Head of ML (2026-03-02)") && soaPage.contains("sampled test: Model releases approved"))
    }
}

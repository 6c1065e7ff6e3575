import FieldbookModel
import FieldbookStore
@testable import FieldbookWorkbench
import Foundation
import Testing

/// The sampled test pages (issue 30): the list, drawing a sample from an uploaded population
/// CSV, a test's workpaper, recording each item's pass or exception (with evidence and a finding
/// in one step); each refusal one sentence with nothing written, as `fieldbook test` refuses it.
struct TestPagesTests {
    /// A population of `rows` invoices under a header: rows 2 to rows + 1.
    func population(_ rows: Int) -> Data {
        Data((["invoice,amount"] + (1...rows).map { "INV-\(100 + $0),\($0 * 10)" }).joined(separator: "\n").utf8)
    }

    func isOneSentence(_ text: String) -> Bool {
        !text.isEmpty && !text.contains("\n") && (text.hasSuffix(".") || text.hasSuffix(")"))
    }

    /// Draws a test through the page, as the add form posts it.
    @discardableResult
    func draw(_ harness: WorkbenchHarness, _ fields: [(String, String)], file: (String, Data)? = nil) async throws -> WorkbenchHarness.Outcome {
        let file = file ?? ("invoices.csv", population(10))
        return try await harness.upload("/tests", files: [(file.0, file.1)], field: "population", fields, back: "/tests")
    }

    func onlyTest(_ harness: WorkbenchHarness) throws -> SampledTest {
        let tests = try harness.workspace.all(SampledTest.self)
        try #require(tests.count == 1)
        return tests[0]
    }

    @Test("draw a sample from an uploaded CSV: recorded as 'test add' records it, the same rows for the same file and seed; listed and shown")
    func add() async throws {
        let harness = try WorkbenchHarness()
        defer { harness.remove() }
        let outcome = try await draw(harness, [("title", "Invoice approval"), ("requirements", "A.6.2.8"), ("size", "3"), ("seed", "42"),
                                               ("description", "Approved before payment")])
        #expect(!outcome.refused && outcome.answer.location == "/tests", "\(outcome.text)")
        #expect(outcome.text.hasPrefix("Drew 3 of 10 rows from invoices.csv with seed 42 for Invoice approval"), "\(outcome.text)")
        let test = try onlyTest(harness)
        #expect(test.title == "Invoice approval" && test.requirements == ["iso42001:A.6.2.8"] && test.populationFile == "invoices.csv")
        #expect(test.populationRows == 10 && test.seed == 42 && test.size == 3 && test.description == "Approved before payment")
        let items = try harness.workspace.domain.items(of: test.id)
        let expected = SampleDraw.positions(population: 10, size: 3, seed: 42).map { $0 + 2 }.sorted()
        #expect(items.compactMap(\.row) == expected, "the rows SampleDraw gives for the file and seed")
        #expect(items.map(\.key) == expected.map { "INV-\(100 + $0 - 1)" })

        let list = try await harness.get("/tests")
        #expect(list.status == .ok && list.body.contains(#"<a href="/tests" aria-current="page">Sampled tests</a>"#))
        #expect(list.body.contains(#"<a href="/tests/\#(test.id)">Invoice approval</a>"#))
        #expect(list.body.contains("<td>3</td><td>0</td><td>0</td><td>none of 3 items recorded yet</td>"))
        let page = try await harness.get("/tests/\(test.id)")
        #expect(page.status == .ok && page.body.contains("<h1>Invoice approval</h1>"))
        #expect(page.body.contains("invoices.csv, 10 rows, SHA-256 <code>\(test.populationSHA256 ?? "?")</code>"))
        #expect(page.body.contains("seed 42, method splitmix64-fisher-yates") || page.body.contains("seed 42, method \(test.method?.rawValue ?? "?")"))
        #expect(page.body.contains("<code>invoice,amount</code>"))
        for row in expected { #expect(page.body.contains("Row \(row) passed") && page.body.contains("What was found wrong with row \(row)")) }

        let monthly = try await draw(harness, [("title", "Access reviews"), ("requirements", "A.6.2.8"), ("frequency", "monthly")])
        #expect(!monthly.refused, "\(monthly.text)")
        let reviews = try #require(try harness.workspace.all(SampledTest.self).first { $0.title == "Access reviews" })
        #expect(reviews.size == ControlFrequency.monthly.sampleSize && reviews.frequency == .monthly && reviews.seed != nil)
    }

    @Test("refusals: not CSV, a sample larger than the population, size and frequency both or neither, a bad seed, no file, no or unknown requirement, no title; one sentence, nothing written")
    func refusals() async throws {
        let harness = try WorkbenchHarness()
        defer { harness.remove() }
        let before = try harness.changes()
        let good: [(String, String)] = [("title", "Invoice approval"), ("requirements", "A.6.2.8")]
        let cases: [(String, [(String, String)], (String, Data)?, String)] = [
            ("not CSV", good + [("size", "2")], ("invoices.xlsx", Data("PK\u{3}\u{4}zip".utf8)), "not a CSV file"),
            ("a workbook renamed .csv", good + [("size", "2")], ("invoices.csv", Data([0x50, 0x4B, 0x03, 0x04, 0, 1])), "not CSV text"),
            ("larger than the population", good + [("size", "11")], nil, "larger than the population of 10 rows"),
            ("size and frequency", good + [("size", "2"), ("frequency", "monthly")], nil, "one of the two"),
            ("neither size nor frequency", good, nil, "one of the two"),
            ("an unknown frequency", good + [("frequency", "hourly")], nil, "hourly"),
            ("no item", good + [("size", "0")], nil, "at least 1 item"),
            ("a bad seed", good + [("size", "2"), ("seed", "-1")], nil, "seed"),
            ("a seed out of range", good + [("size", "2"), ("seed", "9223372036854775808")], nil, "--seed must be 0 to"),
            ("no requirement", [("title", "Invoice approval"), ("size", "2")], nil, "requirement"),
            ("an unknown requirement", [("title", "Invoice approval"), ("requirements", "Z.99"), ("size", "2")], nil, "Z.99"),
            ("no title", [("title", " "), ("requirements", "A.6.2.8"), ("size", "2")], nil, "blank"),
            ("a header and no rows", good + [("size", "1")], ("empty.csv", Data("invoice,amount\n".utf8)), "no rows"),
        ]
        for (name, fields, file, mentions) in cases {
            let outcome = try await draw(harness, fields, file: file)
            #expect(outcome.answer.status == .seeOther, "\(name)")
            #expect(outcome.refused && isOneSentence(outcome.text) && outcome.text.contains(mentions), "\(name): \(outcome.text)")
        }
        let noFile = try await harness.upload("/tests", files: [], field: "population", good + [("size", "2")], back: "/tests")
        #expect(noFile.refused && isOneSentence(noFile.text) && noFile.text.contains("CSV"), "\(noFile.text)")
        #expect(try harness.changes() == before, "a refused form writes nothing")
        #expect(try harness.workspace.all(SampledTest.self, includeDeleted: true).isEmpty)
        #expect(try harness.workspace.all(SampleItem.self).isEmpty)
    }

    @Test("record a pass, then an exception with its evidence and a finding in one step; the conclusion follows; refusals write nothing")
    func record() async throws {
        let harness = try WorkbenchHarness()
        defer { harness.remove() }
        try await draw(harness, [("title", "Invoice approval"), ("requirements", "A.6.2.8, GV-1.1"), ("size", "2"), ("seed", "7")])
        let test = try onlyTest(harness)
        let rows = try harness.workspace.domain.items(of: test.id).compactMap(\.row)
        let path = "/tests/\(test.id)"

        let passed = try await harness.upload("\(path)/items/\(rows[0])", files: [], field: "evidence", [("result", "pass")], back: path)
        #expect(!passed.refused && passed.answer.location == path && passed.text == "Row \(rows[0]): passed.", "\(passed.text)")
        let list = try await harness.get("/tests")
        #expect(list.body.contains("1 of 2 items recorded, all passed so far"))

        let excepted = try await harness.upload("\(path)/items/\(rows[1])", files: [("invoice-scan.pdf", Data("%PDF scan".utf8))], field: "evidence",
                                                [("result", "exception"), ("exception", "Paid before approval"), ("finding", "1"),
                                                 ("severity", "major")], back: path)
        #expect(!excepted.refused && excepted.text.contains("invoice-scan.pdf attached as evidence") && excepted.text.contains("finding"),
                "\(excepted.text)")
        let items = try harness.workspace.domain.items(of: test.id)
        #expect(items[0].result == .pass && items[1].result == .exception && items[1].exception == "Paid before approval")
        let evidenceID = try #require(items[1].evidence.first.flatMap(EntityID.init)), findingID = try #require(items[1].findings.first.flatMap(EntityID.init))
        let evidence = try #require(try harness.workspace.entity(Evidence.self, evidenceID))
        #expect(evidence.filename == "invoice-scan.pdf" && evidence.requirements.sorted() == ["iso42001:A.6.2.8", "nist-ai-rmf:GOVERN-1.1"])
        let finding = try #require(try harness.workspace.entity(Finding.self, findingID))
        #expect(finding.severity == .major && finding.description == "Paid before approval" && finding.requirements.count == 2)

        let page = try await harness.get(path)
        #expect(page.body.contains("Conclusion: </strong>1 exception") || page.body.contains(items.conclusion.sentence))
        #expect(page.body.contains(#"<span class="tag alert">exception</span> Paid before approval"#))
        #expect(page.body.contains(#"<a href="/findings/\#(finding.id)">finding</a>"#))
        let requirement = try await harness.get("/requirements/iso42001:A.6.2.8")
        #expect(requirement.body.contains(#"<a href="/tests/\#(test.id)">Invoice approval</a>: \#(items.conclusion.sentence)"#))

        let written = try harness.changes()
        let refusals: [(String, String, [(String, String)], String)] = [
            ("an exception without its text", String(rows[0]), [("result", "exception"), ("exception", "  ")], "needs its text"),
            ("no result", String(rows[0]), [], "passed, or an exception"),
            ("an unknown result", String(rows[0]), [("result", "maybe")], "passed, or an exception"),
            ("a row not drawn", "999", [("result", "pass")], "drew no item '999'"),
            ("an unknown severity", String(rows[0]), [("result", "exception"), ("exception", "Late"), ("finding", "1"), ("severity", "grave")], "grave"),
        ]
        for (name, item, fields, mentions) in refusals {
            let outcome = try await harness.upload("\(path)/items/\(item)", files: [], field: "evidence", fields, back: path)
            #expect(outcome.refused && isOneSentence(outcome.text) && outcome.text.contains(mentions), "\(name): \(outcome.text)")
        }
        let unknown = try await harness.upload("/tests/0000ffff/items/2", files: [], field: "evidence", [("result", "pass")])
        #expect(unknown.refused && isOneSentence(unknown.text), "\(unknown.text)")
        #expect(try harness.changes() == written, "a refused record writes nothing")
        let missing = try await harness.get("/tests/0000ffff")
        #expect(missing.status == .notFound)
    }

    @Test("a conflict on a test, one of its items or an interview links from the conflicts page to its page")
    func conflicts() async throws {
        let harness = try WorkbenchHarness()
        defer { harness.remove() }
        try await draw(harness, [("title", "Invoice approval"), ("requirements", "A.6.2.8"), ("size", "1")])
        let test = try onlyTest(harness)
        let item = try #require(try harness.workspace.domain.items(of: test.id).first)
        #expect(ConflictsPage.link(test.id, kind: .test, record: test.record, name: "Test T").rendered.contains(#"<a href="/tests/\#(test.id)">Open Test T</a>"#))
        #expect(ConflictsPage.link(item.id, kind: .sample, record: item.record, name: "Sample 3").rendered.contains(#"<a href="/tests/\#(test.id)">"#))
        let interview = EntityID(UUIDv7.make())!
        #expect(ConflictsPage.link(interview, kind: .interview, record: nil, name: "Interview").rendered.contains(#"<a href="/interviews/\#(interview)">"#))
    }

    @Test("every control on the test pages has a label, and ids are not repeated")
    func labels() async throws {
        let harness = try WorkbenchHarness()
        defer { harness.remove() }
        try await draw(harness, [("title", "Invoice approval"), ("requirements", "A.6.2.8"), ("size", "4")])
        let test = try onlyTest(harness)
        for path in ["/tests", "/tests/\(test.id)"] {
            let body = try await harness.get(path).body
            let ids = body.matches(of: /\sid="([^"]+)"/).map { String($0.1) }
            #expect(Set(ids).count == ids.count, "\(path) repeats an id")
            for control in body.matches(of: /<(input|select|textarea)\s[^>]*>/).map({ String($0.0) }) where !control.contains(#"type="hidden""#) {
                let id = try #require(control.firstMatch(of: /\sid="([^"]+)"/).map { String($0.1) }, "\(path): \(control) has no id")
                #expect(body.contains(#"<label for="\#(id)""#), "\(path): \(control) has no label")
            }
        }
    }
}

import FieldbookModel
import FieldbookReplica
import FieldbookStore
import Foundation
import Testing

/// Sampled tests and interviews in the domain, without the command line (issue 30): the rules a
/// new one obeys, an item's result recorded (with a finding and evidence in the same write), and
/// two assessors recording one item offline.
struct SampledTestTests {
    static let population = Population(
        filename: "tickets.csv", sha256: String(repeating: "ab", count: 32), header: "ticket,date",
        rows: (1...12).map { Population.Row(number: $0 + 1, key: "T-\($0)") })

    private func plan(size: Int? = 3, requirements: [String] = ["iso42001:A.6.2.5"]) -> TestPlan {
        TestPlan(title: "Releases approved", requirements: requirements, population: Self.population, size: size, frequency: nil, seed: 7)
    }

    @Test("a test needs a requirement and a sample no larger than its population; refused, nothing is written")
    func rules() throws {
        let temporary = try TemporaryWorkspace()
        let workspace = temporary.workspace
        let before = try workspace.summary().changes
        let refusal1 = #expect(throws: StoreError.self) {
            _ = try workspace.domain.addTest(plan(requirements: []))
        }
        #expect(refusal1?.description == "A sampled test needs the requirement whose control it tests.")
        let refusal2 = #expect(throws: StoreError.self) {
            _ = try workspace.domain.addTest(plan(size: 13))
        }
        #expect(refusal2?.description == "A sample of 13 is larger than the population of 12 rows in tickets.csv; give --size 12 or less.")
        #expect(try workspace.summary().changes == before)
        #expect(try workspace.all(SampledTest.self).isEmpty && workspace.all(SampleItem.self).isEmpty)

        let (id, drawn) = try workspace.domain.addTest(plan())
        #expect(drawn.map(\.number) == SampleDraw.positions(population: 12, size: 3, seed: 7).map { $0 + 2 })
        let test = try #require(try workspace.entity(SampledTest.self, id))
        #expect(test.populationSHA256 == Self.population.sha256 && test.populationRows == 12 && test.seed == 7 && test.size == 3)
        #expect(test.method == .splitmix64FisherYates && test.frequency == nil && test.populationHeader == "ticket,date")
        let items = try workspace.domain.items(of: id)
        #expect(items.map(\.row) == drawn.map(\.number).sorted())
        #expect(items.conclusion == .notStarted(size: 3))
    }

    @Test("recording items: pass, exception with a finding and evidence in one write; an unknown item is not found")
    func record() throws {
        let temporary = try TemporaryWorkspace()
        let workspace = temporary.workspace
        let (id, drawn) = try workspace.domain.addTest(plan())
        let first = "\(drawn[0].number)", second = drawn[1].key
        _ = try workspace.domain.recordItem(test: id.rawValue, item: first, result: .pass, exception: nil)
        #expect(try workspace.domain.items(of: id).conclusion == .inProgress(recorded: 1, size: 3))

        let before = try workspace.summary().changes
        #expect(throws: StoreError.self) { _ = try workspace.domain.recordItem(test: id.rawValue, item: "99", result: .pass, exception: nil) }
        #expect(throws: StoreError.self) { _ = try workspace.domain.recordItem(test: "0193ffff-0000", item: first, result: .pass, exception: nil) }
        #expect(throws: StoreError.self) { _ = try workspace.domain.recordItem(test: id.rawValue, item: first, result: .exception, exception: "  ") }
        #expect(try workspace.summary().changes == before, "a refusal writes nothing")

        let file = temporary.folder.appendingPathComponent("ticket.pdf")
        try Data("unsigned".utf8).write(to: file)
        let (item, evidence, finding) = try workspace.domain.recordItem(test: id.rawValue, item: second, result: .exception,
                                                                        exception: "No approval", evidence: file, finding: .major)
        #expect(item.result == .exception && item.exception == "No approval")
        let findingID = try #require(finding), evidenceID = try #require(evidence)
        let raised = try #require(try workspace.entity(Finding.self, findingID))
        #expect(raised.severity == .major && raised.requirements == ["iso42001:A.6.2.5"] && raised.description == "No approval")
        #expect(item.findings == [raised.id.rawValue] && item.evidence == [evidenceID.rawValue])
        #expect(try workspace.entity(Evidence.self, evidenceID)?.requirements == ["iso42001:A.6.2.5"])
        #expect(try workspace.domain.items(of: id).conclusion == .exceptions(count: 1, recorded: 2, size: 3))
        // The same result again writes nothing.
        let settled = try workspace.summary().changes
        _ = try workspace.domain.recordItem(test: id.rawValue, item: first, result: .pass, exception: nil)
        #expect(try workspace.summary().changes == settled)
    }

    @Test("an interview needs a requirement it speaks to; a bad date is refused by the schema")
    func interviews() throws {
        let temporary = try TemporaryWorkspace()
        var edits = EntityEdits<InterviewField>(EntityID(UUIDv7.make())!)
        try edits.set(.interviewee, "Dana Lee")
        #expect(throws: StoreError.self) { try edits.set(.date, "2026-02-30") }
        try edits.set(.date, "2026-02-28")
        let refusal3 = #expect(throws: StoreError.self) { try temporary.workspace.domain.write(edits) }
        #expect(refusal3?.description == "An interview needs at least one requirement it speaks to.")
        edits.link(.requirements, ["iso42001:9.2.1"])
        try temporary.workspace.domain.write(edits)
        #expect(try temporary.workspace.all(Interview.self).map(\.with) == ["Dana Lee"])
        let person = Interview.person(" Dana Lee ,  Head of Data, EMEA ")
        #expect(person.name == "Dana Lee" && person.role == "Head of Data, EMEA")
    }

    @Test("two assessors record one item offline: after the exchange both hold one state, the concurrent result a conflict")
    func merge() throws {
        let ana = try TemporaryWorkspace(assessor: "Ana")
        let (id, drawn) = try ana.workspace.domain.addTest(plan())
        let ben = try TemporaryWorkspace(assessor: "Ben")
        _ = try ben.workspace.apply(remote: try ana.workspace.exchange.changes(missingFrom: VersionVector()))
        let row = "\(drawn[0].number)"
        _ = try ana.workspace.domain.recordItem(test: id.rawValue, item: row, result: .pass, exception: nil)
        _ = try ben.workspace.domain.recordItem(test: id.rawValue, item: row, result: .exception, exception: "Approved after release")
        _ = try ana.workspace.apply(remote: try ben.workspace.exchange.changes(missingFrom: try ana.workspace.versionVector()))
        _ = try ben.workspace.apply(remote: try ana.workspace.exchange.changes(missingFrom: try ben.workspace.versionVector()))
        #expect(try JSONDocument.text(ana.workspace.export(), .compact) == JSONDocument.text(ben.workspace.export(), .compact))
        let items = try ana.workspace.domain.items(of: id)
        #expect(items.count == 3, "one set of items, not two")
        let merged = try #require(items.first { $0.row == drawn[0].number })
        #expect(merged.conflictedFields == ["result"])
        #expect(merged.exception == "Approved after release")
        #expect(try ana.workspace.conflicts().map(\.field) == ["result"])
        let export = try JSONDocument.text(ana.workspace.export(), .compact)
        #expect(export.contains("\"tests\":[") && export.contains("\"samples\":["))
    }
}

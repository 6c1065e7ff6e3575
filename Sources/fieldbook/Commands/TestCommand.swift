import ArgumentParser
import FieldbookModel
import FieldbookReplica
import FieldbookReports
import FieldbookStore
import Foundation

/// `fieldbook test add|record|show|list|delete`: sampled tests of controls, the workpapers of
/// fieldwork (issue 30). The items are drawn by a seeded, recorded selection anyone can redraw
/// from the same population file (`SampleDraw`, docs/sampling.md).
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test", abstract: "Test a control on a sample drawn from its population, item by item.",
        discussion: """
            The sample size is --size N, or the size for how often the control operates (--frequency): annual 1, \
            quarterly 2, monthly 5, weekly 15, daily 40, multiple-daily 60 (docs/sampling.md). The population file \
            (CSV, a header row, one item a row), its SHA-256, the seed and the rows drawn are recorded, so anyone can \
            redraw the same sample. 'test record TEST ITEM --exception TEXT --finding' raises a finding in the same step.
            """,
        subcommands: [Add.self, Record.self, Show.self, List.self, Delete.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Draw a sample from a population file for a control's test; prints the test's id and the items drawn.")
        @Argument(help: "What is tested, in a few words.") var title: String
        @Option(name: .customLong("requirement"), help: "The requirement whose control is tested (repeatable).") var requirements: [String] = []
        @Option(help: "The population: a CSV file with a header row and one item a row.") var population: String
        @Option(help: "How many items to draw.") var size: Int?
        @Option(help: "How often the control operates, which sets the size: annual, quarterly, monthly, weekly, daily or multiple-daily.")
        var frequency: ControlFrequency?
        @Option(help: "The seed of the random draw (0 to 9223372036854775807; default: a random one, recorded).") var seed: UInt64?
        @Option(help: "What the test checks on each item.") var description: String?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if (size == nil) == (frequency == nil) {
                throw ValidationError("Give the sample size either as --size N or as the control's --frequency, one of the two.")
            }
            if let seed, seed > TestPlan.maximumSeed { throw ValidationError("--seed must be 0 to \(TestPlan.maximumSeed), not \(seed).") }
        }

        func run() throws {
            let links = try RequirementOptions.resolve(requirements)
            let url = try RegularFile.existing(population, called: "The population file", toBe: "read as a population", ifFolder: "name the population's CSV file.")
            let workspace = try WorkspaceContext.open()
            let read = try PopulationFile.read(url)
            let plan = TestPlan(title: title, description: description, requirements: links, population: read, size: size,
                                frequency: frequency, seed: seed ?? UInt64.random(in: 0...TestPlan.maximumSeed))
            let (id, drawn) = try workspace.domain.addTest(plan)
            let test = try workspace.domain.live(SampledTest.self, id.rawValue)
            let document = try TestDocument(test, workspace: workspace)
            try output.emit(document) {
                Terminal.print(id.rawValue)
                Terminal.print("Drew \(drawn.count) of \(counted(read.rows.count, "row")) from \(read.filename) (SHA-256 \(read.sha256)) with seed \(plan.seed):")
                for row in drawn { Terminal.print("  row \(row.number)  \(row.key)") }
            }
        }
    }

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record what testing one drawn item found: --pass, or --exception TEXT.")
        @Argument(help: "The test's id (or a unique prefix of it).") var test: String
        @Argument(help: "The item: its row number in the population file, or its key (first column).") var item: String
        @Flag(help: "The item passed the test.") var pass = false
        @Option(help: "What was found wrong with the item.") var exception: String?
        @Option(help: "A file looked at for this item, attached as evidence of the test's requirements.") var evidence: String?
        @Flag(help: "Raise a finding from the exception, against the test's requirements, in the same step.") var finding = false
        @Option(help: "The finding's severity: major, minor (the default), observation or opportunity-for-improvement.") var severity: FindingSeverity?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if pass == (exception != nil) { throw ValidationError("Say what the item showed: --pass, or --exception TEXT, one of the two.") }
            if finding, exception == nil { throw ValidationError("--finding raises a finding from an exception; record one with --exception TEXT.") }
            if severity != nil, !finding { throw ValidationError("--severity is the severity of a finding raised with --finding; add --finding.") }
        }

        func run() throws {
            let file = try evidence.map { try RegularFile.existing($0, called: "The evidence file", toBe: "attached as evidence", ifFolder: "name one file.") }
            let workspace = try WorkspaceContext.open()
            let (recorded, evidenceID, findingID) = try workspace.domain.recordItem(
                test: test, item: item, result: pass ? .pass : .exception, exception: exception, evidence: file,
                finding: finding ? severity ?? .minor : nil)
            try output.emit(EntityDocument(recorded.record)) {
                Terminal.print("Row \(recorded.row ?? 0) of test \(recorded.test ?? test): \(recorded.result?.rawValue ?? "not recorded")")
                if let evidenceID { Terminal.print("Evidence \(evidenceID)") }
                if let findingID { Terminal.print("Finding \(findingID)") }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a test's workpaper: population, seed, the items drawn and what each showed.")
        @Argument(help: "The test's id (or a unique prefix of it).") var test: String
        @OptionGroup var output: OutputOptions

        func run() throws {
            let workspace = try WorkspaceContext.open()
            guard let found = try workspace.entity(SampledTest.self, try workspace.resolveEntity(test, kind: .test)) else {
                throw CLIError.notFound("No test '\(test)' in this workspace.")
            }
            let document = try TestDocument(found, workspace: workspace)
            try output.emit(document) {
                Terminal.print("\(found.title ?? "")  (\(found.id))\(found.deleted ? "  (deleted)" : "")")
                Terminal.print("For         \(found.requirements.joined(separator: ", "))")
                if let description = found.description { Terminal.print("Checks      \(description)") }
                Terminal.print("Population  \(found.populationFile ?? "-"), \(counted(found.populationRows ?? 0, "row")), SHA-256 \(found.populationSHA256 ?? "-")")
                Terminal.print("Sample      \(found.size ?? 0)\(found.frequency.map { " (\($0.rawValue) control)" } ?? ""), seed \(found.seed ?? 0), \(found.method?.rawValue ?? "-")")
                Terminal.print("Conclusion  \(document.summary)")
                for item in document.itemEntities {
                    let result = item.result.map { $0 == .pass ? "pass" : "EXCEPTION: \(item.exception ?? "")" } ?? "not recorded"
                    let conflict = item.conflictedFields.isEmpty ? "" : "  (conflict: \(item.conflictedFields.joined(separator: ", ")))"
                    Terminal.print("  row \(item.row ?? 0)  \(item.key ?? "")  \(result)\(conflict)")
                }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List sampled tests and their conclusions.")
        @Flag(help: "Include deleted tests.") var all = false
        @OptionGroup var output: OutputOptions

        func run() throws {
            let workspace = try WorkspaceContext.open()
            let tests = try workspace.all(SampledTest.self, includeDeleted: all).sorted { $0.id < $1.id }
            let documents = try tests.map { try TestDocument($0, workspace: workspace) }
            try output.emit(["tests": documents]) {
                if tests.isEmpty { Terminal.print("No sampled tests yet; 'fieldbook test add TITLE --requirement ID --population FILE.csv --size N' draws one.") }
                for (test, document) in zip(tests, documents) {
                    Terminal.print("\(test.id)  \(test.title ?? "")  [\(test.requirements.joined(separator: ", "))]  \(document.summary)\(test.deleted ? "  (deleted)" : "")")
                }
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a test (kept in history, its items with it).")
        @Argument(help: "The test's id (or a unique prefix of it).") var test: String
        func run() throws { try DeleteEntity.run(test, kind: .test) }
    }
}

/// A test as JSON (`test add|show|list --json`): the test, where it stands (`conclusion`: not-started,
/// in-progress, passed or exceptions, and the sentence saying so) and its items by row.
struct TestDocument: Encodable {
    let test: EntityDocument
    let conclusion: String
    let summary: String
    let items: [EntityDocument]
    let itemEntities: [SampleItem]

    init(_ test: SampledTest, workspace: Workspace) throws {
        itemEntities = try workspace.domain.items(of: test.id)
        let conclusion = itemEntities.conclusion
        self.test = EntityDocument(test.record)
        self.conclusion = conclusion.word
        summary = conclusion.sentence
        items = itemEntities.map { EntityDocument($0.record) }
    }

    enum CodingKeys: String, CodingKey { case test, conclusion, summary, items }
}

extension ControlFrequency: ExpressibleByArgument {}

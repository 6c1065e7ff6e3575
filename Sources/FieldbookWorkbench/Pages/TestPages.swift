import FieldbookModel
import FieldbookReports
import FieldbookStore
import Foundation
import Hummingbird

/// `/tests`: the sampled tests of controls (issue 30), each with its requirements, sample size,
/// items tested, exceptions and conclusion, and a form drawing a new one from an uploaded
/// population CSV; `/tests/{id}`: one test's workpaper (the population file's name, SHA-256 and
/// rows, the seed, size, frequency and method, the items drawn) with a form per item to record
/// that it passed, or an exception (with a file looked at, and a finding raised in the same
/// step). The same operations as `fieldbook test add|record`: the domain draws and refuses.
enum TestPages: WorkbenchPages {
    static func add(to router: Router<WorkbenchContext>, workbench: Workbench) {
        router.get("/tests") { request, context in
            let page = try PageContext(workbench, context: context)
            return try page.page("Sampled tests", current: "/tests", try list(page, number: request.pageNumber))
        }
        router.get("/tests/:id") { _, context in
            let page = try PageContext(workbench, context: context)
            return try page.entityPage(context, find: { try $0.live(SampledTest.self, $1) }) { test in
                try page.page(test.title ?? "Sampled test", current: "/tests", try workpaper(page, test))
            }
        }
        router.post("/tests") { request, context in
            try await EvidenceFiles.receive(workbench, request, context, field: "population",
                                            missing: "Choose the population's CSV file (a header row, one item a row).") { files, form, workspace in
                let plan = try plan(form, population: files[0], workspace: workspace)
                let (id, drawn) = try workspace.domain.addTest(plan)
                return "Drew \(drawn.count) of \(counted(plan.population.rows.count, "row")) from \(plan.population.filename) with seed \(plan.seed)"
                    + " for \(plan.title) (test \(id))."
            }
        }
        router.post("/tests/:id/items/:item") { request, context in
            try await EvidenceFiles.receive(workbench, request, context, field: "evidence", missing: nil) { files, form, workspace in
                let test = try context.parameters.require("id"), item = try context.parameters.require("item")
                guard let result = form["result"].flatMap(SampleResult.init(rawValue:)) else {
                    throw WorkbenchRefusal(.badRequest, "Say what the item showed: it passed, or an exception with its text.")
                }
                var severity: FindingSeverity?
                if form["finding"] != nil { severity = try choice(FindingSeverity.self, form.text("severity"), label: "finding severity") ?? .minor }
                let file = files.first
                // As `test record TEST ITEM --pass | --exception TEXT [--evidence FILE] [--finding [--severity S]]`.
                let (recorded, evidence, finding) = try workspace.domain.recordItem(
                    test: test, item: item, result: result, exception: result == .exception ? form["exception"] ?? "" : nil,
                    evidence: file?.file, evidenceFilename: file?.filename, finding: severity)
                return "Row \(recorded.row ?? 0): \(result == .pass ? "passed" : "exception")"
                    + (evidence == nil ? "" : ", \(file?.filename ?? "the file") attached as evidence")
                    + (finding.map { ", finding \($0) raised" } ?? "") + "."
            }
        }
    }

    /// What the add form asks for, as `test add` takes it: a size or a frequency (one of the
    /// two), a seed (a random one, recorded, when none is given).
    static func plan(_ form: FormInput, population file: (filename: String, file: URL), workspace: Workspace) throws -> TestPlan {
        let requirements = try LinkedRequirements.read(form, workspace)
        let size = try form.integer("size", label: "The sample size")
        let frequency = try choice(ControlFrequency.self, form.text("frequency"), label: "control frequency")
        if (size == nil) == (frequency == nil) {
            throw WorkbenchRefusal(.badRequest, "Give the sample size either as a number of items or as the control's frequency, one of the two.")
        }
        var seed: UInt64?
        if let text = form.text("seed") {
            guard let number = UInt64(text.trimmingCharacters(in: .whitespaces)) else {
                throw WorkbenchRefusal(.badRequest, "The seed must be a whole number from 0 to \(TestPlan.maximumSeed), not '\(text.prefix(40))'.")
            }
            seed = number
        }
        return TestPlan(title: form["title"] ?? "", description: form.text("description"), requirements: requirements,
                        population: try PopulationFile.read(file.file, filename: file.filename), size: size, frequency: frequency,
                        seed: seed ?? UInt64.random(in: 0...TestPlan.maximumSeed))
    }

    /// A word of a vocabulary the form offers; nil when blank.
    static func choice<Vocabulary: RawRepresentable<String> & CaseIterable>(_ type: Vocabulary.Type, _ text: String?, label: String) throws -> Vocabulary? {
        guard let text else { return nil }
        guard let value = Vocabulary(rawValue: text) else {
            throw WorkbenchRefusal(.badRequest, "No \(label) '\(text.prefix(40))'; choose one of \(type.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return value
    }

    static func list(_ page: PageContext, number: Int) throws -> HTML {
        let tests = try page.workspace.all(SampledTest.self).sorted { $0.id < $1.id }
        let paged = Pager(tests, number: number)
        let rows = try paged.shown.map { test -> [HTML] in
            let items = try page.workspace.domain.items(of: test.id)
            return [H.a("/tests/\(test.id.rawValue)", .text(test.title ?? test.id.rawValue)), FindingPages.requirementLinks(test.requirements),
                    .text(String(test.size ?? items.count)), .text(String(items.filter { $0.result != nil }.count)),
                    .text(String(items.filter { $0.result == .exception }.count)), .text(items.conclusion.sentence)]
        }
        return [
            H.h1("Sampled tests"),
            H.p(.text("\(counted(tests.count, "sampled test")); each draws its items from a population file by a seeded, recorded selection.")),
            tests.isEmpty ? H.p("No sampled test yet.")
                : H.table(caption: "Sampled tests (page \(paged.number) of \(paged.pages))",
                          header: ["test", "requirements", "size", "items tested", "exceptions", "conclusion"], rows: rows),
            paged.links("/tests"),
            H.h2("Draw a sample for a test"),
            addForm(page),
        ]
    }

    /// The add form: what is tested, the requirements, the population file, a size or frequency, a seed.
    static func addForm(_ page: PageContext) -> HTML {
        page.form("/tests", back: "/tests", multipart: true, [
            H.field("What is tested, in a few words", id: "test-title", H.input("title", id: "test-title", required: true)),
            LinkedRequirements.field(required: true, label: "Requirements whose control is tested (ids, comma-separated)"),
            H.field("Population (CSV: a header row, one item a row)", id: "population",
                    H.input("population", id: "population", type: "file", required: true, extra: [("accept", ".csv,text/csv")])),
            H.field("Sample size (items to draw)", id: "test-size", H.input("size", id: "test-size", type: "number", extra: [("min", "1")]),
                    hint: "Or leave it blank and choose how often the control operates."),
            H.field("Control frequency (sets the size)", id: "test-frequency",
                    H.select("frequency", id: "test-frequency", options: ControlFrequency.allCases.map { ($0.rawValue, "\($0.rawValue) (\($0.sampleSize))") },
                             selected: nil, blank: "none: the size above")),
            H.field("Seed (optional)", id: "test-seed", H.input("seed", id: "test-seed", extra: [("inputmode", "numeric")]),
                    hint: "Blank draws a random seed; it is recorded either way, so anyone can redraw the same sample."),
            H.field("What the test checks on each item", id: "test-description", H.textarea("description", id: "test-description", value: nil)),
            H.button("Draw the sample"),
        ])
    }

    static func workpaper(_ page: PageContext, _ test: SampledTest) throws -> HTML {
        let path = "/tests/\(test.id.rawValue)"
        let items = try page.workspace.domain.items(of: test.id)
        let sample = "\(test.size ?? items.count) items" + (test.frequency.map { " (a \($0.rawValue) control)" } ?? " (size given)")
        return [
            H.h1(test.title ?? "Sampled test"),
            test.description.map { H.p(.text("Checks: \($0)")) } ?? .empty,
            ConflictAlert.of(test.record),
            H.p(H.strong("Conclusion: "), .text(items.conclusion.sentence + ".")),
            H.h2("How the sample was drawn"),
            H.ul([
                H.li(.text("Requirements: "), FindingPages.requirementLinks(test.requirements)),
                H.li(.text("Population: \(test.populationFile ?? "-"), \(counted(test.populationRows ?? 0, "row")), SHA-256 "),
                     .element("code", [], [.text(test.populationSHA256 ?? "-")])),
                H.li(.text("Header: "), .element("code", [], [.text(test.populationHeader ?? "-")])),
                H.li(.text("Sample: \(sample), seed \(test.seed.map(String.init) ?? "-"), method \(test.method?.rawValue ?? "-")")),
            ]),
            H.h2("Items drawn"),
            items.isEmpty ? H.p("No item drawn.") : H.table(
                caption: "Items drawn, by row in \(test.populationFile ?? "the population file")",
                header: ["row", "key", "drawn", "what it showed", "record"],
                rows: items.map { item in
                    [.text(String(item.row ?? 0)), .text(item.key ?? ""), .text(item.draw.map { "#\($0)" } ?? ""),
                     shown(item), recordForms(page, item, path: path)]
                }),
            try ChangeHistory.section(page.workspace, test.id, caption: "Every change to this test, oldest first", none: "No change recorded."),
        ]
    }

    /// The item's state: not recorded, passed, or the exception (its evidence and findings beside it).
    static func shown(_ item: SampleItem) -> HTML {
        let state: HTML = switch item.result {
        case nil: .text("not recorded")
        case .pass?: H.span("pass", class: "tag")
        case .exception?: [H.span("exception", class: "tag alert"), .text(" " + (item.exception ?? ""))]
        }
        return [
            state,
            item.evidence.isEmpty ? .empty : .text(" (\(counted(item.evidence.count, "evidence file")))"),
            .group(item.findings.map { id -> HTML in [.text(" "), H.a("/findings/\(id)", "finding")] }),
            item.record.conflictedFields.isEmpty ? .empty : [.text(" "), ConflictAlert.of(item.record)],
        ]
    }

    /// Per item: a button recording that it passed, and a form recording an exception with its
    /// text, a file looked at and a finding raised from it.
    static func recordForms(_ page: PageContext, _ item: SampleItem, path: String) -> HTML {
        let row = item.row ?? 0, id = "row-\(row)"
        let action = "\(path)/items/\(row)"
        return [
            page.form(action, back: path, class: "inline", multipart: true, [
                H.input("result", id: nil, type: "hidden", value: SampleResult.pass.rawValue),
                H.button("Row \(row) passed", class: "secondary"),
            ]),
            .element("details", [], [
                .element("summary", [], [.text("Record an exception in row \(row)")]),
                page.form(action, back: path, multipart: true, [
                    H.input("result", id: nil, type: "hidden", value: SampleResult.exception.rawValue),
                    H.field("What was found wrong with row \(row)", id: "\(id)-exception",
                            H.input("exception", id: "\(id)-exception", value: item.exception, required: true)),
                    H.field("A file looked at for row \(row) (optional)", id: "\(id)-evidence", H.input("evidence", id: "\(id)-evidence", type: "file")),
                    .element("div", [("class", "field check")], [
                        H.input("finding", id: "\(id)-finding", type: "checkbox", value: "1"),
                        .element("label", [("for", "\(id)-finding")], [.text("Raise a finding from the exception in row \(row)")]),
                    ]),
                    H.field("Severity of that finding", id: "\(id)-severity",
                            H.select("severity", id: "\(id)-severity", options: H.choices(FindingSeverity.self), selected: FindingSeverity.minor.rawValue)),
                    H.button("Record the exception in row \(row)"),
                ]),
            ]),
        ]
    }

    /// On a requirement's page: the sampled tests of its control, with their conclusions.
    static func forRequirement(_ page: PageContext, _ requirement: RequirementID) throws -> HTML {
        let tests = try page.workspace.entities(.test, linkedTo: requirement).compactMap { $0.as(SampledTest.self) }
        return [
            H.h2("Sampled tests"),
            tests.isEmpty ? H.p(.text("No sampled test of it yet; "), H.a("/tests", "draw one"), .text(".")) : H.ul(try tests.map { test in
                H.li(H.a("/tests/\(test.id.rawValue)", .text(test.title ?? test.id.rawValue)),
                     .text(": " + (try page.workspace.domain.items(of: test.id)).conclusion.sentence))
            }),
        ]
    }
}

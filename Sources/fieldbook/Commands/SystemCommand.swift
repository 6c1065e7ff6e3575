import ArgumentParser
import FieldbookModel
import FieldbookReplica
import FieldbookStore

/// `fieldbook system add|update|list|show`: the AI systems the management system covers.
struct SystemCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "system", abstract: "Keep the inventory of AI systems in scope (ISO/IEC 42001 4.3).",
        subcommands: [Add.self, Update.self, List.self, Show.self])

    struct Fields: ParsableArguments {
        @Option(help: "What the system is for.") var purpose: String?
        @Option(help: "Who owns it.") var owner: String?
        @Option(help: "design, development, deployed or retired.") var stage: SystemStage?
        @Option(name: .customLong("risk-tier"), help: "low, medium or high.") var riskTier: RiskTier?

        var given: Bool { purpose != nil || owner != nil || stage != nil || riskTier != nil }

        func apply(to builder: inout EditBuilder) throws {
            try builder.text("purpose", purpose)
            try builder.text("owner", owner)
            try builder.choice("stage", stage?.rawValue)
            try builder.choice("risk_tier", riskTier?.rawValue)
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an AI system; prints its id.")
        @Argument(help: "The system's name.") var name: String
        @OptionGroup var fields: Fields
        @Flag(name: .customLong("out-of-scope"), help: "Record it as outside the management system's scope.") var outOfScope = false
        @OptionGroup var output: OutputOptions

        func run() throws {
            let workspace = try WorkspaceContext.open()
            let taken = try WorkspaceContext.mapped { try workspace.records(.system) }
                .contains { $0.text("name")?.lowercased() == name.lowercased() }
            if taken { throw CLIError.conflict("An AI system named '\(name)' exists already; update it or pick another name.") }
            let id = EntityID(UUIDv7.make())!
            var builder = EditBuilder(id, .system)
            try builder.text("name", name)
            try fields.apply(to: &builder)
            try builder.set("in_scope", .boolean(!outOfScope))
            try WorkspaceContext.mapped { _ = try workspace.write(builder.edits) }
            let record = try WorkspaceContext.mapped { try workspace.record(id) }
            try output.emit(record.map(EntityDocument.init)) { Terminal.print(id.rawValue) }
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change an AI system's fields.")
        @Argument(help: "The system's name or id.") var system: String
        @Option(help: "A new name.") var name: String?
        @OptionGroup var fields: Fields
        @Flag(name: .customLong("out-of-scope"), help: "Take it out of scope.") var outOfScope = false
        @Flag(name: .customLong("in-scope"), help: "Bring it into scope.") var inScope = false
        @OptionGroup var output: OutputOptions

        func run() throws {
            if outOfScope && inScope { throw CLIError.badInput("Give --in-scope or --out-of-scope, not both.") }
            let workspace = try WorkspaceContext.open()
            let record = try SystemLookup.live(system, in: workspace)
            var builder = EditBuilder(record.id, .system, current: record)
            try builder.text("name", name)
            try fields.apply(to: &builder)
            if outOfScope || inScope { try builder.set("in_scope", .boolean(inScope)) }
            guard name != nil || fields.given || outOfScope || inScope else {
                throw CLIError.badInput("Nothing to change; give at least one option such as --stage deployed.")
            }
            if !builder.edits.isEmpty { try WorkspaceContext.mapped { _ = try workspace.write(builder.edits) } }
            let updated = try WorkspaceContext.mapped { try workspace.record(record.id) }
            try output.emit(updated.map(EntityDocument.init)) {
                let name = record.text("name") ?? record.id.rawValue
                Terminal.print(builder.edits.isEmpty ? "AI system \(name) unchanged: it already holds those values." : "Updated AI system \(name)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The AI system inventory.")
        @OptionGroup var output: OutputOptions

        func run() throws {
            let workspace = try WorkspaceContext.open()
            let records = try WorkspaceContext.mapped { try workspace.records(.system) }
            try output.emit(["systems": records.map(EntityDocument.init)]) {
                if records.isEmpty { Terminal.print("No AI systems recorded; 'fieldbook system add NAME' adds one.") }
                for record in records {
                    let scope = record.fields["in_scope"] == .boolean(false) ? "out of scope" : "in scope"
                    Terminal.print("\(record.id)  \(record.text("name") ?? "")  \(record.text("stage") ?? "-")  tier \(record.text("risk_tier") ?? "-")  \(scope)")
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One AI system with its impact assessments, risks, findings and evidence.")
        @Argument(help: "The system's name or id.") var system: String
        @OptionGroup var output: OutputOptions

        func run() throws {
            let workspace = try WorkspaceContext.open()
            let record = try SystemLookup.live(system, in: workspace)
            func linked(_ kind: EntityKind) throws -> [EntityRecord] {
                try WorkspaceContext.mapped { try workspace.records(kind) }.filter { $0.links["systems"]?.contains(record.id.rawValue) == true }
            }
            let document = SystemDocument(system: EntityDocument(record), impacts: try linked(.impact).map(EntityDocument.init),
                                           risks: try linked(.risk).map(EntityDocument.init), findings: try linked(.finding).map(EntityDocument.init),
                                           evidence: try linked(.evidence).map(EntityDocument.init))
            try output.emit(document) {
                EntityText.print(record)
                for (title, items) in [("Impact assessments", document.impacts), ("Risks", document.risks), ("Findings", document.findings), ("Evidence", document.evidence)] where !items.isEmpty {
                    Terminal.print("\(title):")
                    for item in items {
                        Terminal.print("  \(item.record.id)  \(item.record.text("summary") ?? item.record.text("title") ?? item.record.text("filename") ?? "")")
                    }
                }
            }
        }
    }
}

struct SystemDocument: Encodable {
    let system: EntityDocument
    let impacts: [EntityDocument]
    let risks: [EntityDocument]
    let findings: [EntityDocument]
    let evidence: [EntityDocument]
}

extension SystemStage: ExpressibleByArgument {}
extension RiskTier: ExpressibleByArgument {}
extension FindingSource: ExpressibleByArgument {}

/// Finds an AI system by exact name (any case), id or unique id prefix.
enum SystemLookup {
    static func find(_ input: String, in workspace: Workspace) throws -> EntityRecord {
        let systems = try WorkspaceContext.mapped { try workspace.records(.system) }
        if let byName = systems.first(where: { $0.text("name")?.lowercased() == input.lowercased() }) { return byName }
        let id = try WorkspaceContext.mapped { try workspace.resolveEntity(input, kind: .system) }
        guard let record = try WorkspaceContext.mapped({ try workspace.record(id) }) else {
            throw CLIError.notFound("No AI system '\(input)'; 'fieldbook system list' shows them.")
        }
        return record
    }

    static func live(_ input: String, in workspace: Workspace) throws -> EntityRecord {
        let record = try find(input, in: workspace)
        if record.deleted { throw CLIError.conflict("AI system \(record.id) is deleted; restore it with 'fieldbook resolve \(record.id) deleted --value false'.") }
        return record
    }

    /// The ids of the systems named by repeated `--system` options.
    static func ids(_ inputs: [String], in workspace: Workspace) throws -> [String] {
        var seen = Set<String>()
        return try inputs.map { try live($0, in: workspace).id.rawValue }.filter { seen.insert($0).inserted }
    }
}

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

        func apply(to edits: inout EntityEdits<SystemField>) throws {
            try edits.set(.purpose, purpose)
            try edits.set(.owner, owner)
            try edits.set(.stage, stage)
            try edits.set(.riskTier, riskTier)
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
            // A name another system holds is refused by the domain (exit 3), as a page's is.
            let id = EntityID(UUIDv7.make())!
            var edits = EntityEdits<SystemField>(id)
            try edits.set(.name, name)
            try fields.apply(to: &edits)
            try edits.set(.inScope, !outOfScope)
            try workspace.domain.write(edits)
            try output.emit(try workspace.record(id).map(EntityDocument.init)) { Terminal.print(id.rawValue) }
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
            let target = try workspace.domain.liveSystem(system)
            var edits = EntityEdits<SystemField>(target.id, current: target.record)
            try edits.set(.name, name)
            try fields.apply(to: &edits)
            if outOfScope || inScope { try edits.set(.inScope, inScope) }
            guard name != nil || fields.given || outOfScope || inScope else {
                throw CLIError.badInput("Nothing to change; give at least one option such as --stage deployed.")
            }
            let wrote = try workspace.domain.write(edits)
            try output.emit(try workspace.record(target.id).map(EntityDocument.init)) {
                let name = target.name ?? target.id.rawValue
                Terminal.print(!wrote ? "AI system \(name) unchanged: it already holds those values." : "Updated AI system \(name)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The AI system inventory.")
        @OptionGroup var output: OutputOptions

        func run() throws {
            let workspace = try WorkspaceContext.open()
            let systems = try workspace.all(AISystem.self)
            try output.emit(["systems": systems.map { EntityDocument($0.record) }]) {
                if systems.isEmpty { Terminal.print("No AI systems recorded; 'fieldbook system add NAME' adds one.") }
                for system in systems {
                    let scope = system.inScope == false ? "out of scope" : "in scope"
                    Terminal.print("\(system.id)  \(system.name ?? "")  \(system.stage?.rawValue ?? "-")  tier \(system.riskTier?.rawValue ?? "-")  \(scope)")
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
            let record = try workspace.domain.liveSystem(system).record
            func linked(_ kind: EntityKind) throws -> [EntityRecord] {
                try workspace.records(kind).filter { $0.systems.contains(record.id.rawValue) }
            }
            let document = SystemDocument(system: EntityDocument(record), impacts: try linked(.impact).map(EntityDocument.init),
                                           risks: try linked(.risk).map(EntityDocument.init), findings: try linked(.finding).map(EntityDocument.init),
                                           evidence: try linked(.evidence).map(EntityDocument.init))
            try output.emit(document) {
                EntityText.print(record)
                for (title, items) in [("Impact assessments", document.impacts), ("Risks", document.risks), ("Findings", document.findings), ("Evidence", document.evidence)] where !items.isEmpty {
                    Terminal.print("\(title):")
                    for item in items {
                        Terminal.print("  \(item.record.id)  \(item.record.headline)")
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

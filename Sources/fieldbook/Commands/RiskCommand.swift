import ArgumentParser
import FieldbookModel
import FieldbookReplica
import FieldbookStore

/// `fieldbook risk add|update|delete|list`: the engagement's AI risk register.
struct RiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk", abstract: "Log and maintain AI risks.", subcommands: [Add.self, Update.self, Delete.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Log a new risk; prints its id.")
        @Argument(help: "A short title.") var title: String
        @Option(help: "Likelihood, 1 (rare) to 5 (almost certain).") var likelihood: Int
        @Option(help: "Impact, 1 (negligible) to 5 (severe).") var impact: Int
        @Option(help: "Who owns the risk.") var owner: String?
        @Option(help: "mitigate, accept, transfer or avoid.") var treatment: RiskTreatment?
        @Option(help: "open, mitigated or closed (default open).") var status: RiskStatus = .open
        @Option(help: "A longer description.") var description: String?
        @Option(name: .customLong("requirement"), help: "A requirement the risk relates to (repeatable).") var requirements: [String] = []
        @Option(name: .customLong("system"), help: "An AI system the risk concerns, by name or id (repeatable).") var systems: [String] = []
        @OptionGroup var output: OutputOptions

        func run() throws {
            let links = try RequirementOptions.resolve(requirements)
            let workspace = try WorkspaceContext.open()
            let systemIDs = try SystemLookup.ids(systems, in: workspace)
            let id = EntityID(UUIDv7.make())!
            var builder = EditBuilder(id, .risk)
            try builder.text("title", title)
            try builder.integer("likelihood", likelihood)
            try builder.integer("impact", impact)
            try builder.text("owner", owner)
            try builder.choice("treatment", treatment?.rawValue)
            try builder.choice("status", status.rawValue)
            try builder.text("description", description)
            builder.link(links)
            builder.linkEntities("systems", systemIDs)
            try WorkspaceContext.mapped { _ = try workspace.write(builder.edits) }
            let record = try WorkspaceContext.mapped { try workspace.record(id) }
            try output.emit(record.map(EntityDocument.init)) { Terminal.print(id.rawValue) }
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a risk's fields or links.")
        @Argument(help: "The risk's id (or a unique prefix of it).") var risk: String
        @Option(help: "A new title.") var title: String?
        @Option(help: "Likelihood, 1 to 5.") var likelihood: Int?
        @Option(help: "Impact, 1 to 5.") var impact: Int?
        @Option(help: "Who owns the risk.") var owner: String?
        @Option(help: "mitigate, accept, transfer or avoid.") var treatment: RiskTreatment?
        @Option(help: "open, mitigated or closed.") var status: RiskStatus?
        @Option(help: "A longer description.") var description: String?
        @Option(name: .customLong("requirement"), help: "Link a requirement (repeatable).") var requirements: [String] = []
        @Option(name: .customLong("unlink"), help: "Unlink a requirement (repeatable).") var unlinks: [String] = []
        @Option(name: .customLong("system"), help: "Link an AI system, by name or id (repeatable).") var systems: [String] = []
        @OptionGroup var output: OutputOptions

        func run() throws {
            let links = try RequirementOptions.resolve(requirements), removals = try RequirementOptions.resolve(unlinks)
            let workspace = try WorkspaceContext.open()
            let record = try EntityTarget.live(risk, kind: .risk, in: workspace)
            let systemIDs = try SystemLookup.ids(systems, in: workspace).filter { !(record.links["systems"] ?? []).contains($0) }
            var builder = EditBuilder(record.id, .risk, current: record)
            try builder.text("title", title)
            try builder.integer("likelihood", likelihood)
            try builder.integer("impact", impact)
            try builder.text("owner", owner)
            try builder.choice("treatment", treatment?.rawValue)
            try builder.choice("status", status?.rawValue)
            try builder.text("description", description)
            builder.link(links)
            builder.unlink(removals.filter { record.requirements.contains($0.id.qualified) })
            builder.linkEntities("systems", systemIDs)
            let asked = [title, owner, description].contains { $0 != nil } || likelihood != nil || impact != nil
                || treatment != nil || status != nil || !requirements.isEmpty || !unlinks.isEmpty || !systems.isEmpty
            guard asked else { throw CLIError.badInput("Nothing to change; give at least one option such as --status mitigated.") }
            if !builder.edits.isEmpty { try WorkspaceContext.mapped { _ = try workspace.write(builder.edits) } }
            let updated = try WorkspaceContext.mapped { try workspace.record(record.id) }
            try output.emit(updated.map(EntityDocument.init)) {
                Terminal.print(builder.edits.isEmpty ? "Risk \(record.id) unchanged: it already holds those values." : "Updated risk \(record.id)")
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a risk (kept in history; an edit made meanwhile elsewhere shows as a conflict).")
        @Argument(help: "The risk's id (or a unique prefix of it).") var risk: String

        func run() throws {
            try DeleteEntity.run(risk, kind: .risk)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The risk register, highest score first.")
        @Flag(help: "Include deleted risks.") var all = false
        @OptionGroup var output: OutputOptions

        func run() throws {
            let workspace = try WorkspaceContext.open()
            let records = try WorkspaceContext.mapped { try workspace.records(.risk, includeDeleted: all) }
            try output.emit(["risks": records.map(EntityDocument.init)]) {
                if records.isEmpty { Terminal.print("No risks logged yet; 'fieldbook risk add TITLE --likelihood N --impact N' logs one.") }
                for record in records {
                    let l = record.integer("likelihood") ?? 0, i = record.integer("impact") ?? 0
                    let level = RiskLevel(likelihood: Int(l), impact: Int(i)).rawValue
                    var line = "\(record.id)  \(level.padding(toLength: 8, withPad: " ", startingAt: 0)) L\(l) x I\(i)  \(record.text("status") ?? "")  \(record.text("title") ?? "")"
                    if record.deleted { line += "  (deleted)" }
                    if !record.conflictedFields.isEmpty { line += "  CONFLICT" }
                    Terminal.print(line)
                }
            }
        }
    }
}

/// Deleting any risk, evidence file or finding: a tombstone that has seen every live value.
enum DeleteEntity {
    static func run(_ input: String, kind: EntityKind) throws {
        let workspace = try WorkspaceContext.open()
        let record = try EntityTarget.live(input, kind: kind, in: workspace)
        try WorkspaceContext.mapped { _ = try workspace.write([.delete(record.id, kind)]) }
        Terminal.print("Deleted \(kind.rawValue) \(record.id); its history stays in 'fieldbook history \(record.id)'.")
    }
}

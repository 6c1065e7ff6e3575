import ArgumentParser
import FieldbookModel
import FieldbookReplica
import FieldbookStore

/// `fieldbook finding add|update|delete|list`: nonconformities and their corrective actions
/// (ISO/IEC 42001 clause 10.2).
struct FindingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finding", abstract: "Record nonconformities and corrective actions.",
        subcommands: [Add.self, Update.self, Delete.self, List.self])

    struct Fields: ParsableArguments {
        @Option(help: "minor or major.") var severity: FindingSeverity?
        @Option(help: "open, in-progress or closed.") var status: FindingStatus?
        @Option(help: "What was found.") var description: String?
        @Option(name: .customLong("corrective-action"), help: "The corrective action agreed.") var correctiveAction: String?
        @Option(help: "Who owns the corrective action.") var owner: String?
        @Option(help: "When the corrective action is due (YYYY-MM-DD).") var due: String?
        @Option(help: "internal-audit, external-audit or self-assessment.") var source: FindingSource?
        @Option(name: .customLong("system"), help: "An AI system it concerns, by name or id (repeatable).") var systems: [String] = []

        var given: Bool {
            severity != nil || status != nil || source != nil || !systems.isEmpty || [description, correctiveAction, owner, due].contains { $0 != nil }
        }

        func apply(to builder: inout EditBuilder) throws {
            try builder.choice("severity", severity?.rawValue)
            try builder.choice("status", status?.rawValue)
            try builder.text("description", description)
            try builder.text("corrective_action", correctiveAction)
            try builder.text("owner", owner)
            try builder.date("due", due)
            try builder.choice("source", source?.rawValue)
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a finding against one or more requirements; prints its id.")
        @Argument(help: "A short title.") var title: String
        @Option(name: .customLong("requirement"), help: "The requirement not met (repeatable).") var requirements: [String] = []
        @OptionGroup var fields: Fields
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if requirements.isEmpty { throw ValidationError("A finding needs at least one --requirement ID.") }
        }

        func run() throws {
            let links = try RequirementOptions.resolve(requirements)
            let id = EntityID(UUIDv7.make())!
            var builder = EditBuilder(id, .finding)
            try builder.text("title", title)
            if fields.status == nil { try builder.choice("status", FindingStatus.open.rawValue) }
            try fields.apply(to: &builder)
            builder.link(links)
            let workspace = try WorkspaceContext.open()
            builder.linkEntities("systems", try SystemLookup.ids(fields.systems, in: workspace))
            try WorkspaceContext.mapped { _ = try workspace.write(builder.edits) }
            let record = try WorkspaceContext.mapped { try workspace.record(id) }
            try output.emit(record.map(EntityDocument.init)) { Terminal.print(id.rawValue) }
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a finding's fields or requirements.")
        @Argument(help: "The finding's id (or a unique prefix of it).") var finding: String
        @Option(help: "A new title.") var title: String?
        @Option(name: .customLong("requirement"), help: "Link a requirement (repeatable).") var requirements: [String] = []
        @Option(name: .customLong("unlink"), help: "Unlink a requirement (repeatable).") var unlinks: [String] = []
        @OptionGroup var fields: Fields
        @OptionGroup var output: OutputOptions

        func run() throws {
            let links = try RequirementOptions.resolve(requirements), removals = try RequirementOptions.resolve(unlinks)
            let workspace = try WorkspaceContext.open()
            let record = try EntityTarget.live(finding, kind: .finding, in: workspace)
            var builder = EditBuilder(record.id, .finding, current: record)
            try builder.text("title", title)
            try fields.apply(to: &builder)
            builder.link(links)
            builder.unlink(removals.filter { record.requirements.contains($0.id.qualified) })
            builder.linkEntities("systems", try SystemLookup.ids(fields.systems, in: workspace).filter { !(record.links["systems"] ?? []).contains($0) })
            let asked = title != nil || fields.given || !requirements.isEmpty || !unlinks.isEmpty
            guard asked else { throw CLIError.badInput("Nothing to change; give at least one option such as --status closed.") }
            if !builder.edits.isEmpty { try WorkspaceContext.mapped { _ = try workspace.write(builder.edits) } }
            let updated = try WorkspaceContext.mapped { try workspace.record(record.id) }
            try output.emit(updated.map(EntityDocument.init)) {
                Terminal.print(builder.edits.isEmpty ? "Finding \(record.id) unchanged: it already holds those values." : "Updated finding \(record.id)")
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a finding (kept in history).")
        @Argument(help: "The finding's id (or a unique prefix of it).") var finding: String
        func run() throws { try DeleteEntity.run(finding, kind: .finding) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List findings.")
        @Flag(help: "Include deleted findings.") var all = false
        @OptionGroup var output: OutputOptions

        func run() throws {
            let workspace = try WorkspaceContext.open()
            let records = try WorkspaceContext.mapped { try workspace.records(.finding, includeDeleted: all) }
            try output.emit(["findings": records.map(EntityDocument.init)]) {
                if records.isEmpty { Terminal.print("No findings recorded.") }
                for record in records {
                    Terminal.print("\(record.id)  \(record.text("severity") ?? "-")  \(record.text("status") ?? "")  \(record.text("title") ?? "")  [\(record.requirements.joined(separator: ", "))]\(record.deleted ? "  (deleted)" : "")")
                }
            }
        }
    }
}

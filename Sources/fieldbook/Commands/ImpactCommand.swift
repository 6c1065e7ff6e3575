import ArgumentParser
import FieldbookModel
import FieldbookReplica
import FieldbookStore

/// `fieldbook impact add|list`: AI system impact assessments (ISO/IEC 42001 6.1.4, 8.4, A.5).
struct ImpactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "impact", abstract: "Record AI system impact assessments.", subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record an impact assessment of an AI system; prints its id.")
        @Argument(help: "The AI system's name or id.") var system: String
        @Option(help: "What the assessment found.") var summary: String
        @Option(help: "Individuals or groups affected.") var affected: String?
        @Option(help: "Impacts on society.") var societal: String?
        @Option(help: "Severity, 1 to 5.") var severity: Int?
        @Option(help: "Likelihood, 1 to 5.") var likelihood: Int?
        @Option(help: "When it was assessed (YYYY-MM-DD).") var date: String?
        @Option(name: .customLong("evidence"), help: "An evidence id supporting it (repeatable).") var evidence: [String] = []
        @OptionGroup var output: OutputOptions

        func run() throws {
            let workspace = try WorkspaceContext.open()
            let target = try SystemLookup.live(system, in: workspace)
            let evidenceIDs = try evidence.map { try EntityTarget.live($0, kind: .evidence, in: workspace).id.rawValue }
            let id = EntityID(UUIDv7.make())!
            var builder = EditBuilder(id, .impact)
            try builder.text("summary", summary)
            try builder.text("affected", affected)
            try builder.text("societal", societal)
            try builder.integer("severity", severity)
            try builder.integer("likelihood", likelihood)
            try builder.date("date", date)
            builder.linkEntities("systems", [target.id.rawValue])
            builder.linkEntities("evidence", evidenceIDs)
            try WorkspaceContext.mapped { _ = try workspace.write(builder.edits) }
            let record = try WorkspaceContext.mapped { try workspace.record(id) }
            try output.emit(record.map(EntityDocument.init)) { Terminal.print(id.rawValue) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List impact assessments, optionally of one AI system.")
        @Option(help: "Only this AI system's (name or id).") var system: String?
        @OptionGroup var output: OutputOptions

        func run() throws {
            let workspace = try WorkspaceContext.open()
            var records = try WorkspaceContext.mapped { try workspace.records(.impact) }
            if let system {
                let id = try SystemLookup.find(system, in: workspace).id.rawValue
                records = records.filter { $0.links["systems"]?.contains(id) == true }
            }
            try output.emit(["impacts": records.map(EntityDocument.init)]) {
                if records.isEmpty { Terminal.print("No impact assessments recorded.") }
                for record in records {
                    Terminal.print("\(record.id)  severity \(record.integer("severity").map(String.init) ?? "-")  \(record.text("date") ?? "")  \(record.text("summary") ?? "")")
                }
            }
        }
    }
}

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
            let target = try workspace.domain.liveSystem(system)
            let evidenceIDs = try evidence.map { try workspace.domain.live(Evidence.self, $0).id.rawValue }
            let id = EntityID(UUIDv7.make())!
            var edits = EntityEdits<ImpactField>(id)
            try edits.set(.summary, summary)
            try edits.set(.affected, affected)
            try edits.set(.societal, societal)
            try edits.set(.severity, severity)
            try edits.set(.likelihood, likelihood)
            try edits.set(.date, date)
            edits.link(.systems, [target.id.rawValue])
            edits.link(.evidence, evidenceIDs)
            try workspace.domain.write(edits)
            try output.emit(try workspace.record(id).map(EntityDocument.init)) { Terminal.print(id.rawValue) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List impact assessments, optionally of one AI system.")
        @Option(help: "Only this AI system's (name or id).") var system: String?
        @OptionGroup var output: OutputOptions

        func run() throws {
            let workspace = try WorkspaceContext.open()
            var impacts = try workspace.all(ImpactAssessment.self)
            if let system {
                let id = try workspace.domain.system(system).id.rawValue
                impacts = impacts.filter { $0.systems.contains(id) }
            }
            try output.emit(["impacts": impacts.map { EntityDocument($0.record) }]) {
                if impacts.isEmpty { Terminal.print("No impact assessments recorded.") }
                for impact in impacts {
                    Terminal.print("\(impact.id)  severity \(impact.severity.map(String.init) ?? "-")  \(impact.date ?? "")  \(impact.summary ?? "")")
                }
            }
        }
    }
}

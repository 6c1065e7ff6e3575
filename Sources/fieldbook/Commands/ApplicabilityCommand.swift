import ArgumentParser
import FieldbookCatalogs
import FieldbookModel
import FieldbookReplica
import FieldbookStore

/// `fieldbook applicability set ID --included|--excluded --justification TEXT`: an Annex A
/// control's place in the Statement of Applicability (ISO/IEC 42001 6.1.3).
struct ApplicabilityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "applicability", abstract: "Record which Annex A controls apply, and why.", subcommands: [Set.self])

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Include or exclude an Annex A control; an exclusion needs a justification.")
        @Argument(help: "An Annex A control, e.g. A.6.2.4.") var id: String
        @Flag(help: "The control applies.") var included = false
        @Flag(help: "The control does not apply (needs --justification).") var excluded = false
        @Option(help: "Why the control is included or excluded.") var justification: String?
        @Option(help: "The kind of reason: risk-treatment, legal, contractual, business or client-choice.") var reason: ApplicabilityReason?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if included == excluded { throw ValidationError("Give exactly one of --included or --excluded.") }
        }

        func run() throws {
            let library = try Catalogs.library(mappings: false)
            let control = try Catalogs.resolve(id, in: library)
            let workspace = try WorkspaceContext.open()
            let entity = EntityID.applicability(for: control.id)
            var edits = EntityEdits<ApplicabilityField>(entity, current: try workspace.record(entity))
            try edits.set(.applicability, included ? Applicability.included : .excluded)
            try edits.set(.justification, justification)
            try edits.set(.reason, reason)
            let wrote = try workspace.domain.write(edits)
            try output.emit(try workspace.record(entity).map(EntityDocument.init)) {
                Terminal.print("\(control.id.qualified): \(included ? "included" : "excluded")\(wrote ? "" : " (unchanged)")")
            }
            // Said once, when the exclusion is new, and only of a judgement (not-applicable agrees with it).
            if excluded, wrote, let result = try workspace.entity(AssessmentResult.self, EntityID.result(for: control.id)),
               let status = result.status, [.compliant, .partiallyCompliant, .nonCompliant].contains(status) {
                Terminal.note("\(control.id.qualified) holds a result (\(status.rawValue)); "
                              + "it is kept on its row but counts only under 'excluded' while the control is excluded.")
            }
        }
    }
}

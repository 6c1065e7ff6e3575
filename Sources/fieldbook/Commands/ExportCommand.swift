import ArgumentParser
import FieldbookReports
import FieldbookStore
import Foundation

/// `fieldbook export --json` (the canonical whole-state document) and `fieldbook export oscal`
/// (OSCAL 1.1 assessment-results).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print the engagement's whole state as canonical JSON (byte-identical on converged replicas), or as OSCAL.")
    @Argument(help: "Nothing for the canonical JSON, or 'oscal' for OSCAL 1.1 assessment-results JSON.") var kind: String?
    @Flag(help: "Print JSON (the canonical export's only format).") var json = false
    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

    func validate() throws {
        if let kind, kind != "oscal" { throw ValidationError("'\(kind)' is not an export; use 'fieldbook export --json' or 'fieldbook export oscal'.") }
    }

    func run() throws {
        let text: String
        if kind == "oscal" {
            let data = try ReportInput.load()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            text = String(decoding: try encoder.encode(OSCALAssessmentResults.document(data, generated: Date())), as: UTF8.self) + "\n"
        } else {
            let workspace = try WorkspaceContext.open()
            text = try JSONText.encode(try workspace.export()) + "\n"
        }
        try ReportCommand.Options.write(text, to: output)
    }
}

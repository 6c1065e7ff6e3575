import ArgumentParser
import FieldbookModel
import FieldbookPackage
import FieldbookReplica
import FieldbookReports
import FieldbookStore
import Foundation

/// `fieldbook export --json` (the canonical whole-state document), `fieldbook export oscal`
/// (OSCAL 1.1 assessment-results) and `fieldbook export package` (the signed audit file).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print the engagement's whole state as canonical JSON (byte-identical on converged replicas), or as OSCAL; or write the signed audit package.")
    @Argument(help: """
        Nothing for the canonical JSON, 'oscal' for OSCAL 1.1 assessment-results JSON, or 'package' for the audit file \
        (every report, OSCAL, evidence, the signed history and a signed manifest, one ZIP).
        """) var kind: String?
    @Flag(help: "Print JSON (the canonical export's format; for a package, a summary of what was written).") var json = false
    @Option(name: .shortAndLong, help: "Write to this file instead of standard output (required for a package).") var output: String?
    @Flag(help: "Issue the package's reports as final (draft otherwise); refused while conflicts are open.") var final = false
    @Option(name: .customLong("approved-by"), help: "Who approved the final reports (with --final).") var approvedBy: String?

    func validate() throws {
        if let kind, kind != "oscal", kind != "package" {
            throw ValidationError("'\(kind)' is not an export; use 'fieldbook export --json', 'fieldbook export oscal' or 'fieldbook export package -o FILE.zip'.")
        }
        if kind == "package" {
            if output == nil { throw ValidationError("An audit package is a ZIP file; name it with -o FILE.zip.") }
            if approvedBy != nil, !final {
                throw ValidationError("--approved-by names who approved the final reports; add --final, or leave --approved-by out for drafts.")
            }
            if let approvedBy, approvedBy.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("--approved-by is empty; give the approver's name.")
            }
        } else if final || approvedBy != nil {
            throw ValidationError("--final and --approved-by issue the reports of an audit package; use them with 'fieldbook export package'.")
        }
    }

    func run() throws {
        if kind == "package", let output { return try writePackage(to: output) }
        let text: String
        if kind == "oscal" {
            let data = try ReportInput.load()
            text = try JSONDocument.text(OSCALAssessmentResults.document(data)) + "\n"
        } else {
            let workspace = try WorkspaceContext.open()
            text = try JSONText.encode(try workspace.export()) + "\n"
        }
        try ReportCommand.Options.write(text, to: output)
    }

    private func writePackage(to output: String) throws {
        try ReportCommand.Options.refuseInsideWorkspace(output)
        let url = URL(fileURLWithPath: output)
        var data = try ReportInput.load(final: final)
        data.document = data.document.issued(as: final ? .final : .draft, approvedBy: approvedBy)
        let summary: AuditPackage.ExportSummary
        do {
            summary = try AuditPackage.export(try WorkspaceContext.open(), data: data, to: url)
        } catch PackageError.cannotWrite {
            // Only the destination's own failures: the workspace changing under the export is `workspaceChanged` (exit 3).
            throw CLIError(status: .unavailable, message: "\(output) could not be written: \(ReportCommand.Options.reason(url)).")
        }
        if json { try Terminal.printJSON(summary); return }
        Terminal.print("Wrote \(output): \(counted(summary.reports, "report")), OSCAL, \(counted(summary.evidenceFiles, "evidence file")) "
            + "and a history of \(counted(summary.changes, "change")) (\(summary.bytes) bytes), version \(summary.version), "
            + "signed by \(summary.signer.assessor) with key \(summary.signer.publicKey).")
    }
}

import ArgumentParser
import FieldbookModel
import FieldbookReplica
import FieldbookReports
import FieldbookStore
import Foundation

/// `fieldbook report gap|risks|soa|progress|findings`: what an assessor hands over.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: """
            Write a report: gap (analysis), risks (register), soa (Statement of Applicability), progress or findings \
            (corrective actions), review (management review inputs), workpapers (sampled tests and interviews); md, html, csv, \
            json, docx (Word) or xlsx (the report's data as a workbook).
            """,
        subcommands: [Gap.self, Risks.self, SoA.self, Progress.self, Findings.self, Review.self, Workpapers.self])

    struct Options: ParsableArguments {
        @Option(help: "md, html, csv, json, docx (a Word document) or xlsx (the data as a workbook).") var format: ReportFormat = .markdown
        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?
        @Flag(help: "Issue the document as final (the title block says draft otherwise); refused while conflicts are open.")
        var final = false
        @Option(name: .customLong("approved-by"), help: "Who approved the final document (its signature block names them).")
        var approvedBy: String?

        func validate() throws {
            if approvedBy != nil, !final {
                throw ValidationError("--approved-by names who approved a final document; add --final, or leave --approved-by out for a draft.")
            }
            if let approvedBy, approvedBy.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("--approved-by is empty; give the approver's name.")
            }
            if format == .docx || format == .xlsx, output == nil, isatty(STDOUT_FILENO) == 1 {
                throw ValidationError("A \(format == .docx ? "Word document" : "workbook") is binary and would garble the terminal; write it to a file with -o FILE.\(format.fileExtension).")
            }
        }

        /// The report input, issued as draft or final as asked.
        func load() throws -> ReportData {
            var data = try ReportInput.load(final: final)
            data.document = data.document.issued(as: final ? .final : .draft, approvedBy: approvedBy)
            return data
        }

        func write(_ report: some RenderableReport) throws { try Self.write(try ReportFormat.render(report, as: format), to: output) }

        static func write(_ text: String, to output: String?) throws { try write(Data(text.utf8), to: output) }

        static func write(_ bytes: Data, to output: String?) throws {
            guard let output else { FileHandle.standardOutput.write(bytes); return }
            try refuseInsideWorkspace(output)
            let url = URL(fileURLWithPath: output)
            do {
                try bytes.write(to: url, options: .atomic)
            } catch {
                throw CLIError(status: .unavailable, message: "\(output) could not be written: \(Self.reason(url)).")
            }
            FileHandle.standardError.write(Data("Wrote \(output)\n".utf8))
        }

        /// Why a file could not be written there, in words (Foundation's own are two sentences).
        static func reason(_ url: URL) -> String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue { return "it is a folder" }
            let folder = url.deletingLastPathComponent().path
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else { return "the folder \(folder) does not exist" }
            return FileManager.default.isWritableFile(atPath: folder) ? "the disk refused it (full or failing)" : "the folder \(folder) is not writable"
        }

        /// A workspace's `.fieldbook/` holds its database and evidence: a report, export or
        /// bundle written there (`-o .fieldbook/fieldbook.sqlite`) would replace them.
        static func refuseInsideWorkspace(_ output: String) throws {
            let url = URL(fileURLWithPath: output).standardizedFileURL
            let resolved = url.deletingLastPathComponent().resolvingSymlinksInPath().appendingPathComponent(url.lastPathComponent)
            guard !(url.pathComponents + resolved.pathComponents).contains(WorkspaceLocation.folderName) else {
                throw CLIError.badInput("\(output) is inside a workspace's \(WorkspaceLocation.folderName) folder, which holds its database and evidence; write somewhere else.")
            }
        }
    }

    struct Gap: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per requirement result, evidence, findings and risks; roll-ups; what the crosswalk infers; KPIs.")
        @Option(help: "nist-ai-rmf, iso42001, or an imported framework's key.") var framework: FrameworkID
        @OptionGroup var options: Options

        func run() throws {
            let data = try options.load()
            _ = try Catalogs.framework(framework, in: data.library)
            try options.write(GapReport(framework: framework, data: data))
        }
    }

    struct Risks: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The risk register by level, with a 5x5 likelihood x impact heat map.")
        @OptionGroup var options: Options

        func run() throws {
            try options.write(RiskRegister(data: try options.load()))
        }
    }
}

extension ReportFormat: ExpressibleByArgument {}

extension ReportCommand {
    struct SoA: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "soa", abstract: "The Statement of Applicability: every Annex A control, included or excluded, why, status, evidence.")
        @OptionGroup var options: Options

        func run() throws {
            let data = try options.load()
            // A final statement records what was agreed: not an exclusion a risk's treatment relies on.
            if options.final { try RiskTreatmentRules.refuseFinal(data.treatmentContradictions) }
            try options.write(StatementOfApplicability(data: data))
        }
    }
}

extension ReportCommand {
    struct Progress: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Gaps opened and closed, share assessed, time to mitigate high risks, per month or quarter (from the change log).")
        @Option(help: "month or quarter.") var by: ProgressReport.Period = .month
        @OptionGroup var options: Options

        func run() throws {
            let data = try options.load()
            let changes = try WorkspaceContext.open().log().map(\.change)
            try options.write(ProgressReport(changes: changes, document: data.document, library: data.library, by: by))
        }
    }
}

extension ProgressReport.Period: ExpressibleByArgument {}

extension ReportCommand {
    struct Findings: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The corrective-action register (ISO/IEC 42001 10.2): every finding, severity, status, owner, due date, overdue.")
        @OptionGroup var options: Options

        func run() throws {
            try options.write(FindingsRegister(data: try options.load()))
        }
    }
}

enum ReportInput {
    /// The workspace's whole log, for the reports that replay it.
    static func changes() throws -> [Change] {
        try WorkspaceContext.open().exchange.changes(missingFrom: VersionVector())
    }

    /// `final`: a final document records the engagement as it is agreed, so it is refused
    /// while fields hold conflicting values.
    static func load(final: Bool = false) throws -> ReportData {
        let workspace = try WorkspaceContext.open()
        if final {
            let conflicts = try workspace.conflicts().count
            if conflicts > 0 {
                throw CLIError.conflict("\(counted(conflicts, "field")) still \(conflicts == 1 ? "holds" : "hold") conflicting values; resolve them (fieldbook conflicts) before issuing a final report, or leave out --final for a draft.")
            }
        }
        return try ReportData.load(workspace, library: try Catalogs.library(for: workspace))
    }
}

extension ReportCommand {
    struct Review: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The management review's inputs (ISO/IEC 42001 9.3.2): earlier actions, nonconformities, monitoring, audits, risks, improvement.")
        @Option(help: "The start of the period under review (YYYY-MM-DD; default: the engagement's first change).") var since: String?
        @OptionGroup var options: Options

        func validate() throws {
            if let since, !CalendarDate.isValid(since) {
                throw ValidationError("--since must be a date as YYYY-MM-DD, not '\(since)'.")
            }
        }

        func run() throws {
            try options.write(ManagementReview(data: try options.load(), changes: try ReportInput.changes(), since: since))
        }
    }
}

extension ReportCommand {
    struct Workpapers: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The fieldwork workpapers: each sampled test's population, draw, items and conclusion; the interviews held.")
        @OptionGroup var options: Options

        func run() throws {
            try options.write(FieldbookReports.Workpapers(data: try options.load()))
        }
    }
}

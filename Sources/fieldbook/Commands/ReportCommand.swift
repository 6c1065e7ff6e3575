import ArgumentParser
import FieldbookModel
import FieldbookReports
import FieldbookStore
import Foundation

/// `fieldbook report gap|risks|soa|progress`: what an assessor hands over.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a report: gap (analysis), risks (register), soa (Statement of Applicability) or progress; md, html, csv or json.",
        subcommands: [Gap.self, Risks.self, SoA.self, Progress.self])

    struct Options: ParsableArguments {
        @Option(help: "md, html, csv or json.") var format: ReportFormat = .markdown
        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

        func write(_ text: String) throws { try Self.write(text, to: output) }

        static func write(_ text: String, to output: String?) throws {
            guard let output else { FileHandle.standardOutput.write(Data(text.utf8)); return }
            try refuseInsideWorkspace(output)
            let url = URL(fileURLWithPath: output)
            do {
                try Data(text.utf8).write(to: url, options: .atomic)
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
        @Option(help: "nist-ai-rmf or iso42001.") var framework: FrameworkID
        @OptionGroup var options: Options

        func run() throws {
            let data = try ReportInput.load()
            try options.write(try ReportFormat.render(GapReport(framework: framework, data: data), as: options.format))
        }
    }

    struct Risks: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The risk register by level, with a 5x5 likelihood x impact heat map.")
        @OptionGroup var options: Options

        func run() throws {
            let data = try ReportInput.load()
            try options.write(try ReportFormat.render(RiskRegister(data: data), as: options.format))
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
            let data = try ReportInput.load()
            try options.write(try ReportFormat.render(StatementOfApplicability(data: data), as: options.format))
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
            let workspace = try WorkspaceContext.open()
            let library = try Catalogs.library()
            let changes = try workspace.log().map(\.change)
            let engagement = try workspace.engagement()?.name ?? "Engagement"
            let report = ProgressReport(changes: changes, engagement: engagement, library: library, by: by)
            try options.write(try ReportFormat.render(report, as: options.format))
        }
    }
}

extension ProgressReport.Period: ExpressibleByArgument {}

enum ReportInput {
    static func load() throws -> ReportData {
        let workspace = try WorkspaceContext.open()
        let library = try Catalogs.library()
        return try ReportData.load(workspace, library: library)
    }
}

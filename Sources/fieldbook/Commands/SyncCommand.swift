import ArgumentParser
import FieldbookModel
import FieldbookStore
import FieldbookSync
import Foundation

/// `fieldbook sync [REMOTE]`: push what the server lacks, pull what this workspace lacks.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Exchange work with a server: push what it lacks, pull what this workspace lacks.")
    @Argument(help: "The remote (default: origin, or the only one).") var remote: String?
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let workspace = try WorkspaceContext.open()
        let remotes = try RemoteConfiguration.load(from: workspace)
        let name = try SyncRun.pick(remote, in: remotes)
        guard URL(string: remotes.remotes[name]!.url) != nil else { throw CLIError.badInput("The remote \(name) has a malformed URL; remove and add it again.") }
        let summary = try await SyncRun.withProgress(quiet: output.json) { progress in
            try await RemoteSync.run(workspace, remote: name, progress: progress)
        }
        try output.emit(summary) {
            Terminal.print("Synced with \(name): pushed \(counted(summary.pushed, "change")) (\(summary.pushedAlreadyOnServer) already there), "
                + "pulled \(summary.pulled), evidence files up \(summary.evidenceUploaded) / down \(summary.evidenceDownloaded)"
                + (summary.librariesUploaded + summary.librariesDownloaded > 0
                   ? ", libraries up \(summary.librariesUploaded) / down \(summary.librariesDownloaded)." : "."))
            if summary.newConflicts > 0 { Terminal.print("\(counted(summary.newConflicts, "new conflict")): 'fieldbook conflicts' lists them.") }
        }
    }
}

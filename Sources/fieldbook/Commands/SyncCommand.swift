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
        var remotes = try WorkspaceContext.mapped { try RemoteConfiguration.load(from: workspace) }
        let name = try SyncRun.pick(remote, in: remotes)
        let summary = try await SyncRun.sync(workspace, remote: remotes.remotes[name]!, name: name, quiet: output.json)
        remotes.remotes[name]?.lastSync = Timestamps.rfc3339(milliseconds: WallClock.now())
        try WorkspaceContext.mapped { try remotes.save(to: workspace) }
        try output.emit(summary) {
            Terminal.print("Synced with \(name): pushed \(counted(summary.pushed, "change")) (\(summary.pushedAlreadyOnServer) already there), "
                + "pulled \(summary.pulled), evidence files up \(summary.evidenceUploaded) / down \(summary.evidenceDownloaded).")
            if summary.newConflicts > 0 { Terminal.print("\(counted(summary.newConflicts, "new conflict")): 'fieldbook conflicts' lists them.") }
        }
    }
}

enum SyncRun {
    static func pick(_ requested: String?, in remotes: RemoteConfiguration) throws -> String {
        if let requested {
            guard remotes.remotes[requested] != nil else {
                throw CLIError.notFound(SyncError.unknownRemote(requested, known: remotes.remotes.keys.sorted()).description)
            }
            return requested
        }
        if remotes.remotes["origin"] != nil { return "origin" }
        if remotes.remotes.count == 1 { return remotes.remotes.keys.first! }
        throw CLIError.notFound(remotes.remotes.isEmpty
            ? SyncError.unknownRemote("origin", known: []).description
            : "Name the remote to sync with: \(remotes.remotes.keys.sorted().joined(separator: ", ")).")
    }

    static func sync(_ workspace: Workspace, remote: RemoteConfiguration.Remote, name: String, quiet: Bool) async throws -> SyncClient.Summary {
        guard let url = URL(string: remote.url) else { throw CLIError.badInput("The remote \(name) has a malformed URL; remove and add it again.") }
        // Progress only for a person at a terminal, never in CI or with --json.
        let showProgress = !quiet && isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["CI"] == nil
        let client = SyncClient(workspace: workspace, transport: HTTPTransport(base: url, token: remote.token)) { line in
            if showProgress { FileHandle.standardError.write(Data("\r\(line)\u{1B}[K".utf8)) }
        }
        defer { if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) } }
        do {
            return try await client.sync()
        } catch let refusal as SyncError {
            // The server's refusal speaks of one batch; say what the whole sync left where.
            throw await PartialPush.account(of: refusal, workspace: workspace, transport: client.transport)
        }
    }
}

import FieldbookStore
import FieldbookSync
import Foundation

/// A sync as `sync` and `clone` run it: which remote, progress on a terminal, and the
/// client's account of the whole sync (`SyncClient.syncAccounted`).
enum SyncRun {
    static func pick(_ requested: String?, in remotes: RemoteConfiguration) throws -> String {
        if let requested {
            guard remotes.remotes[requested] != nil else {
                throw SyncError.unknownRemote(requested, known: remotes.remotes.keys.sorted())
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
        guard URL(string: remote.url) != nil else { throw CLIError.badInput("The remote \(name) has a malformed URL; remove and add it again.") }
        return try await withProgress(quiet: quiet) { progress in
            try await SyncClient(workspace: workspace, transport: try remote.transport(), progress: progress).syncAccounted()
        }
    }

    /// Runs a sync with its progress on one terminal line, only for a person at a terminal
    /// (never in CI or with --json), cleared at the end.
    static func withProgress<T>(quiet: Bool, _ body: (@escaping (String) -> Void) async throws -> T) async throws -> T {
        let showProgress = !quiet && isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["CI"] == nil
        defer { if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) } }
        return try await body { line in
            if showProgress { FileHandle.standardError.write(Data("\r\(line)\u{1B}[K".utf8)) }
        }
    }

    /// Reads `--ca-cert FILE` for `remote add` and `clone`: a missing file is not found, a
    /// file without a PEM certificate is bad input.
    static func caCertificates(_ path: String?) throws -> String? {
        guard let path else { return nil }
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError.notFound("The CA certificate file \(path) does not exist; check the path.")
        }
        try RegularFile.require(path, toBe: "a CA certificate")
        return try RemoteConfiguration.caCertificates(from: path)
    }
}

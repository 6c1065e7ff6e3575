import FieldbookModel
import FieldbookStore
import Foundation

/// One sync with a named remote as every front end runs it (`fieldbook sync`, the workbench's
/// "Sync now"): the client's account of the whole sync, then the remote's last sync recorded.
public enum RemoteSync {
    public static func run(_ workspace: Workspace, remote name: String,
                           progress: @escaping (String) -> Void = { _ in }) async throws -> SyncClient.Summary {
        var remotes = try RemoteConfiguration.load(from: workspace)
        guard let remote = remotes.remotes[name] else { throw SyncError.unknownRemote(name, known: remotes.remotes.keys.sorted()) }
        guard URL(string: remote.url) != nil else {
            throw SyncError.configuration("the remote \(name) has a malformed URL; remove and add it again")
        }
        let summary = try await SyncClient(workspace: workspace, transport: try remote.transport(), progress: progress).syncAccounted()
        remotes.remotes[name]?.lastSync = Timestamps.rfc3339(milliseconds: WallClock.now())
        try remotes.save(to: workspace)
        return summary
    }
}

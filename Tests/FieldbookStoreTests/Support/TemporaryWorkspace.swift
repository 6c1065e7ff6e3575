import FieldbookModel
import FieldbookReplica
import FieldbookStore
import Foundation

/// A workspace in a fresh temporary folder, removed when the test ends.
final class TemporaryWorkspace {
    let folder: URL
    let workspace: Workspace

    init(assessor: String = "Ana", engagement: EntityID = EntityID("eng-test")!, signer: ChangeSigner = ChangeSigner()) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("fb-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        workspace = try Workspace.create(at: WorkspaceLocation(root: folder), engagement: engagement, assessor: assessor,
                                         signer: signer, engagementName: "Test engagement", scope: nil, now: 1_700_000_000_000)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }
}

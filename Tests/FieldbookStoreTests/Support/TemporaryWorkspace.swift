import FieldbookModel
import FieldbookReplica
import FieldbookStore
import Foundation

/// A workspace in a fresh temporary folder, removed when the test ends.
final class TemporaryWorkspace {
    let folder: URL
    let workspace: Workspace

    init(assessor: String = "Ana", engagement: EntityID = EntityID("eng-test")!, site: SiteID = .random()) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("fb-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        workspace = try Workspace.create(at: WorkspaceLocation(root: folder), engagement: engagement, assessor: assessor,
                                         site: site, engagementName: "Test engagement", scope: nil, now: 1_700_000_000_000)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }
}

struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

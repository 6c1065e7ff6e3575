import Foundation

/// Where a workspace lives: a folder holding `.fieldbook/` (like `.git/`), with the
/// database, the evidence objects by hash, and a scratch folder for atomic writes.
public struct WorkspaceLocation: Sendable, Equatable {
    public let root: URL

    public static let folderName = ".fieldbook"

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    public var metadataFolder: URL { root.appendingPathComponent(Self.folderName, isDirectory: true) }
    public var database: URL { metadataFolder.appendingPathComponent("fieldbook.sqlite") }
    public var objects: URL { metadataFolder.appendingPathComponent("objects", isDirectory: true) }
    public var scratch: URL { metadataFolder.appendingPathComponent("tmp", isDirectory: true) }
    /// Forms derived from what the workspace holds, kept to save work; deleting it loses nothing.
    public var cache: URL { metadataFolder.appendingPathComponent("cache", isDirectory: true) }

    public var exists: Bool { FileManager.default.fileExists(atPath: database.path) }

    /// The nearest folder at or above `start` that holds `.fieldbook/`.
    public static func find(from start: URL) -> WorkspaceLocation? {
        var folder = start.standardizedFileURL
        while true {
            let candidate = WorkspaceLocation(root: folder)
            if candidate.exists { return candidate }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }
}

import FieldbookModel
import FieldbookStore
import FieldbookSync
import Foundation
import Synchronization

/// Finds and opens the workspace a command works on: `--workspace DIR` (anywhere on the
/// command line), else `FIELDBOOK_WORKSPACE`, else the nearest folder upward holding
/// `.fieldbook/`.
enum WorkspaceContext {
    static let environmentKey = "FIELDBOOK_WORKSPACE"

    /// The folder named by --workspace or the environment, if any.
    static var explicitFolder: URL? {
        guard let path = ProcessInfo.processInfo.environment[environmentKey], !path.isEmpty else { return nil }
        return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    }

    static var currentFolder: URL { URL(fileURLWithPath: FileManager.default.currentDirectoryPath) }

    /// Where `init` and `clone` create a workspace.
    static var targetLocation: WorkspaceLocation {
        WorkspaceLocation(root: explicitFolder ?? currentFolder)
    }

    static func open() throws -> Workspace {
        let location: WorkspaceLocation
        if let explicit = explicitFolder {
            location = WorkspaceLocation(root: explicit)
        } else {
            guard let found = WorkspaceLocation.find(from: currentFolder) else {
                throw StoreError.noWorkspace(searchedFrom: currentFolder.path)
            }
            location = found
        }
        return try opened.withLock { opened in
            if let workspace = opened[location.root.path] { return workspace }
            let workspace = try Workspace.open(location)
            opened[location.root.path] = workspace
            return workspace
        }
    }

    /// The workspaces this process opened, so a command that reaches its workspace from two
    /// places (its own code and `Catalogs.library`) builds the engagement's catalogs once.
    private static let opened = Mutex<[String: Workspace]>([:])

    /// Takes `--workspace DIR` / `--workspace=DIR` out of the arguments wherever it stands,
    /// so it works before or after the command name, and hands it on in the environment.
    static func extractGlobalOption(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" { result += arguments[index...]; break }
            if argument == "--workspace", index + 1 < arguments.count {
                setenv(environmentKey, arguments[index + 1], 1)
                index += 2
                continue
            }
            if argument.hasPrefix("--workspace=") {
                setenv(environmentKey, String(argument.dropFirst("--workspace=".count)), 1)
                index += 1
                continue
            }
            result.append(argument)
            index += 1
        }
        return result
    }
}

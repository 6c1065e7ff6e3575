import FieldbookModel
import FieldbookReplica

/// Why the workspace refused an operation. Nothing was written when one is thrown.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// No workspace found: searched upward from a folder, or (`upward: false`) at the one named.
    case noWorkspace(searchedFrom: String, upward: Bool = true)
    case alreadyInitialized(String)
    case notFieldbookDatabase(String)
    case newerSchema(found: Int, supported: Int)
    case storageUnavailable(String)
    case refused(ReplicaError)
    case notFound(String)
    case invalid(String)
    case stateConflict(String)

    public var description: String {
        switch self {
        case let .noWorkspace(folder, upward):
            upward ? "No Fieldbook workspace at \(folder) or above it; run 'fieldbook init --engagement NAME --assessor NAME' there, or pass --workspace DIR."
                : "No Fieldbook workspace at \(folder); check the --workspace folder (or FIELDBOOK_WORKSPACE), or run 'fieldbook init --engagement NAME --assessor NAME' there."
        case .alreadyInitialized(let folder):
            "\(folder) already holds a Fieldbook workspace; use it, or choose another folder with --workspace."
        case .notFieldbookDatabase(let path):
            "\(path) is not a Fieldbook database; move it aside or choose another folder with --workspace."
        case let .newerSchema(found, supported):
            "This workspace was written by a newer Fieldbook (schema \(found), this build reads up to \(supported)); update Fieldbook to open it."
        case .storageUnavailable(let why):
            "The workspace could not be written: \(why); nothing was changed."
        case .refused(let error):
            error.description
        case .notFound(let message), .invalid(let message), .stateConflict(let message):
            message
        }
    }
}

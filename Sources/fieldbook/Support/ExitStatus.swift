import FieldbookCatalogs
import FieldbookModel
import FieldbookPackage
import FieldbookStore
import FieldbookSync

/// The exit statuses of the command-line contract (`../shared/CLI.md`).
enum ExitStatus: Int32 {
    case ok = 0
    case badInput = 1
    case notFound = 2
    case conflict = 3
    case unavailable = 4
    case refused = 5
}

/// The one place a failure from the layers below meets its exit status. Commands just
/// `try`; `Main` asks this for the status and prints the error's own sentence.
extension ExitStatus {
    init?(for error: any Error) {
        switch error {
        case let failure as CLIError: self = failure.status
        case let error as StoreError: self = Self.status(for: error)
        case let error as BundleError: self = Self.status(for: error)
        case let error as SyncError: self = Self.status(for: error)
        case let error as PackageError: self = Self.status(for: error)
        case let error as RequirementLookupError:
            if case .unknown = error { self = .notFound } else { self = .badInput }
        case is ValidationFailure: self = .badInput
        // A library file that is not there is not found; every other refusal is the file's content.
        case let error as LibraryError:
            if case .unreadable = error { self = .notFound } else { self = .badInput }
        // The bundled catalogs missing or damaged: the installation, not the input.
        case is CatalogLoadError: self = .unavailable
        default: return nil
        }
    }

    private static func status(for error: StoreError) -> ExitStatus {
        switch error {
        case .noWorkspace, .notFound: .notFound
        case .alreadyInitialized, .notFieldbookDatabase, .newerSchema, .stateConflict: .conflict
        case .storageUnavailable: .unavailable
        // Changes stamped beyond the skew bound are not bad input: they are fine and will be
        // taken once the clocks agree.
        case .refused(.clockSkew): .conflict
        // What a revocation cut off is not bad input: the engagement's state refuses it.
        case .refused(.siteRevoked): .conflict
        case .refused, .invalid: .badInput
        }
    }

    private static func status(for error: BundleError) -> ExitStatus {
        switch error {
        case .unreadable: .notFound
        case .otherEngagement: .conflict
        case .cannotWrite, .identityNotWritable: .unavailable
        // Sealed for someone else: this identity is not let in, like a refused token.
        case .sealedForOthers, .noIdentity: .refused
        case .notABundle, .newerFormat, .truncated, .corrupted, .integrityMismatch, .objectMismatch,
             .invalidRecipient, .tooManyRecipients, .identityUnusable: .badInput
        }
    }

    private static func status(for error: PackageError) -> ExitStatus {
        switch error {
        case .notFound: .notFound
        case .notAPackage, .noManifest, .newerFormat: .badInput
        // The workspace's state stands in the way (evidence bytes not here, nothing written, a
        // broken history, or the workspace changing while the package was made: export again).
        case .evidenceUnavailable, .signerNotInHistory, .brokenHistory, .workspaceChanged: .conflict
        // Storage that cannot be used: the package file exists but cannot be read (permission
        // denied, an I/O error), no temporary space to check it in, or a destination refusing writes.
        case .unreadable, .scratchUnavailable, .cannotWrite: .unavailable
        }
    }

    private static func status(for error: SyncError) -> ExitStatus {
        switch error {
        case .unreachable, .serverFailure: .unavailable
        // An untrusted server is refused like a bad token: authentication failed, one way round.
        case .refused, .untrustedServer, .readOnly: .refused
        case .noSuchEngagement, .rejected, .damagedBlob, .olderServer, .engagementKeyChanged: .conflict
        case .configuration: .badInput
        case .unknownRemote: .notFound
        case .partlyTaken(_, let refusal): status(for: refusal)
        }
    }
}

/// The sentence printed for a failure: a validation failure is written for a person.
func sentence(for error: any Error) -> String {
    if let failure = error as? ValidationFailure { return failure.sentence }
    if let failure = error as? CLIError { return failure.message }
    return String(describing: error)
}

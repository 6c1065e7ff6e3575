import FieldbookModel

/// Why a package could not be written, or could not be read as a package at all. (A package
/// that reads but differs from its manifest is not an error: `PackageVerification` says where.)
public enum PackageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The package file does not exist.
    case notFound(String)
    /// The file exists but cannot be read (permission denied, an I/O error).
    case unreadable(String, String)
    /// No temporary folder or file could be made to check the package in: why.
    case scratchUnavailable(String)
    /// Not a ZIP archive, or a ZIP that is not a Fieldbook package.
    case notAPackage(String, String)
    /// A ZIP without `manifest.json`.
    case noManifest(String)
    /// A package of a newer layout than this build reads.
    case newerFormat(Int)
    /// An evidence file's bytes are missing or damaged in this workspace: its name and which.
    case evidenceUnavailable(String, String)
    /// This workspace has written no change, so the history cannot vouch for its key.
    case signerNotInHistory(String)
    /// The workspace's own history does not verify: what is wrong.
    case brokenHistory(String)
    /// The workspace (or a file being copied from it) changed while the package was being made: what changed.
    case workspaceChanged(String)
    /// The package could not be written at its destination: why.
    case cannotWrite(String)

    public var description: String {
        switch self {
        case .notFound(let path): "The package \(path) does not exist; check the path."
        case let .unreadable(path, why): "The package \(path) cannot be read: \(why)."
        case .scratchUnavailable(let why):
            "No temporary space to check the package in: \(why); set TMPDIR to a writable folder and try again."
        case let .notAPackage(path, why): "\(path) is not a Fieldbook audit package (\(why)); check you picked the right file."
        case .noManifest(let path): "\(path) is a ZIP archive without manifest.json, so it is not a Fieldbook audit package; check you picked the right file."
        case .newerFormat(let version):
            "This package uses layout \(version), newer than this Fieldbook reads (\(PackageManifest.currentVersion)); update Fieldbook and verify it again."
        case let .evidenceUnavailable(name, condition):
            "The evidence file '\(name)' is \(condition) in this workspace, so the package would be incomplete; run 'fieldbook sync' (or import a bundle holding it) and export again."
        case .signerNotInHistory(let assessor):
            "This workspace (\(assessor)) has recorded nothing yet, so the signed history cannot vouch for its key; record something here, or export from a workspace that has, and try again."
        case .brokenHistory(let why):
            "The workspace's history does not verify (\(why)); run 'fieldbook log --verify' to see which change, and export from an intact workspace."
        case .workspaceChanged(let what):
            "The workspace changed while the package was being made (\(what)), so it would not match one version; export again."
        case .cannotWrite(let why): "The package could not be written: \(why)."
        }
    }
}

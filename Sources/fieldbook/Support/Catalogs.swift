import FieldbookCatalogs
import FieldbookModel
import FieldbookStore
import Foundation

/// The catalogs a command works with: the bundled ones, plus the libraries the workspace pins
/// when the command runs in one. User-typed ids are resolved against them (their errors are
/// mapped to exit statuses in `ExitStatus.swift`).
enum Catalogs {
    /// The workspace's catalogs when there is a workspace here, else the bundled ones.
    /// `mappings: false` leaves out libraries that only map (their sets are most of the bytes a
    /// large engagement pins): for commands that resolve ids and count requirements but infer
    /// nothing, so every command pays only for what it reads.
    static func library(mappings: Bool = true) throws -> CatalogLibrary {
        guard let workspace = try? WorkspaceContext.open() else { return try CatalogLibrary.bundled() }
        return try library(for: workspace, mappings: mappings)
    }

    /// The workspace's catalogs (`Workspace.catalogs`), with a note for each pinned library
    /// whose bytes are not here yet.
    static func library(for workspace: Workspace, mappings: Bool = true) throws -> CatalogLibrary {
        let catalogs = try workspace.libraries.catalogs(mappings: mappings)
        for sentence in catalogs.unavailable { Terminal.note(sentence) }
        return catalogs.library
    }

    static func resolve(_ input: String, in library: CatalogLibrary) throws -> Requirement {
        try library.index.resolve(input)
    }

    /// A framework the library holds, or bad input naming those it does.
    static func framework(_ framework: FrameworkID, in library: CatalogLibrary) throws -> FrameworkCatalog {
        guard library.holds(framework) else {
            let held = library.frameworks.map(\.framework.rawValue).joined(separator: ", ")
            throw CLIError.badInput("'\(framework.rawValue)' is not a framework here; use one of \(held) (fieldbook catalog import adds others).")
        }
        return library.catalog(framework)
    }
}

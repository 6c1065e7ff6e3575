import FieldbookCatalogs
import FieldbookModel

/// The bundled catalogs, and user-typed ids resolved against them (their errors are
/// mapped to exit statuses in `ExitStatus.swift`).
enum Catalogs {
    static func library() throws -> CatalogLibrary { try CatalogLibrary.bundled() }

    static func resolve(_ input: String, in library: CatalogLibrary) throws -> Requirement {
        try library.index.resolve(input)
    }
}

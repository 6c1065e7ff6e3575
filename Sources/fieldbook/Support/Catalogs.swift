import FieldbookCatalogs
import FieldbookModel

/// The bundled catalogs, and user-typed ids resolved against them with CLI exit codes.
enum Catalogs {
    static func library() throws -> CatalogLibrary {
        do {
            return try CatalogLibrary.bundled()
        } catch {
            throw CLIError(status: .unavailable, message: error.description)
        }
    }

    static func resolve(_ input: String, in library: CatalogLibrary) throws -> Requirement {
        do {
            return try library.index.resolve(input)
        } catch {
            switch error {
            case .unknown: throw CLIError.notFound(error.description)
            case .empty, .ambiguous: throw CLIError.badInput(error.description)
            }
        }
    }
}

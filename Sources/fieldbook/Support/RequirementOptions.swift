import FieldbookCatalogs
import FieldbookModel

/// Requirement options resolved against the catalogs before anything is written.
enum RequirementOptions {
    /// The requirements named, repeats dropped, as the qualified ids links hold.
    static func resolve(_ inputs: [String]) throws -> [String] {
        let library = try Catalogs.library(mappings: false)
        var seen = Set<RequirementID>()
        return try inputs.map { try library.index.resolve($0) }.filter { seen.insert($0.id).inserted }.map(\.id.qualified)
    }
}

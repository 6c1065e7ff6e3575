import FieldbookCatalogs
import FieldbookModel
import Foundation

/// The catalogs of one engagement: the bundled ones with every library it pins, and a sentence
/// for each pinned library left out because its bytes are not here (a clone that has not
/// downloaded them yet: its results stay and show as unknown until the bytes arrive).
public struct EngagementCatalogs: Sendable {
    public let library: CatalogLibrary
    public let unavailable: [String]
}

extension Workspace {
    /// The engagement's catalogs, built once per `Workspace` and kind. `mappings: false` leaves
    /// out libraries that only map (their sets are most of the bytes a large engagement pins),
    /// for work that resolves ids and counts requirements but infers nothing. Every pinned
    /// library was pinned earlier, so a mapping row whose end a newer framework version
    /// dropped is left out, never the whole engagement's catalogs.
    public func catalogs(mappings: Bool = true) throws -> EngagementCatalogs {
        if let built = catalogCache.value(mappings: mappings) { return built }
        var documents: [(document: LibraryDocument, file: String)] = []
        var unavailable: [String] = []
        for library in try pinnedLibraries() where mappings || library.content != .mapping {
            do {
                documents.append((try libraryDocument(library), "library \(library.urn)"))
            } catch {
                unavailable.append("\(error)")
            }
        }
        let built = EngagementCatalogs(
            library: try CatalogLibrary.bundled().including(documents, lenient: Set(documents.map(\.document.urn))),
            unavailable: unavailable)
        catalogCache.store(built, mappings: mappings)
        return built
    }
}

/// `Workspace.catalogs` once built, until this `Workspace` is closed; a pin through it starts over.
final class CatalogCache: @unchecked Sendable {
    private let lock = NSLock()
    private var built: [Bool: EngagementCatalogs] = [:]

    func value(mappings: Bool) -> EngagementCatalogs? {
        lock.withLock { built[mappings] }
    }

    func store(_ catalogs: EngagementCatalogs, mappings: Bool) {
        lock.withLock { built[mappings] = catalogs }
    }

    func reset() {
        lock.withLock { built = [:] }
    }
}

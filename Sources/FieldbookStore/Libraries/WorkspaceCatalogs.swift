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

extension WorkspaceLibraries {
    /// The engagement's catalogs, built once per `Workspace` and kind. `mappings: false` leaves
    /// out libraries that only map (their sets are most of the bytes a large engagement pins),
    /// for work that resolves ids and counts requirements but infers nothing. Every pinned
    /// library was pinned earlier, so a mapping row whose end a newer framework version
    /// dropped is left out, never the whole engagement's catalogs.
    public func catalogs(mappings: Bool = true) throws -> EngagementCatalogs {
        let (cached, generation) = workspace.catalogCache.value(mappings: mappings)
        if let cached { return cached }
        var documents: [(document: LibraryDocument, file: String)] = []
        var unavailable: [String] = []
        for library in try pinned() where mappings || library.content != .mapping {
            do {
                documents.append((try document(of: library), "library \(library.urn)"))
            } catch {
                unavailable.append("\(error)")
            }
        }
        let built = EngagementCatalogs(
            library: try CatalogLibrary.bundled().including(documents, lenient: Set(documents.map(\.document.urn))),
            unavailable: unavailable)
        // Catalogs missing a library whose bytes have not arrived yet are not kept: the bytes
        // may come by sync or a pin without any change to say so.
        if unavailable.isEmpty { workspace.catalogCache.store(built, mappings: mappings, generation: generation) }
        return built
    }
}

/// `Workspace.catalogs` once built, until this `Workspace` is closed; a pin or a received
/// library change through it starts over. A build that began before a reset is not stored.
final class CatalogCache: @unchecked Sendable {
    private let lock = NSLock()
    private var built: [Bool: EngagementCatalogs] = [:]
    private var generation = 0

    /// The catalogs built, if any, and the generation a new build stores under.
    func value(mappings: Bool) -> (EngagementCatalogs?, Int) {
        lock.withLock { (built[mappings], generation) }
    }

    func store(_ catalogs: EngagementCatalogs, mappings: Bool, generation: Int) {
        lock.withLock { if generation == self.generation { built[mappings] = catalogs } }
    }

    func reset() {
        lock.withLock {
            built = [:]
            generation += 1
        }
    }
}

import Foundation
import FieldbookModel

/// The bundled NIST AI RMF 1.0 and ISO/IEC 42001:2023 catalogs and the crosswalk between them,
/// plus the frameworks and mapping sets of the libraries an engagement pins.
public struct CatalogLibrary: Sendable {
    public let nistAIRMF: FrameworkCatalog
    public let iso42001: FrameworkCatalog
    public let crosswalk: Crosswalk
    /// Resolves the ids users type (`GV-1.1`, `A.6.2.4`, `nist-csf-2.0:ID.RA-07`) and searches every catalog.
    public let index: RequirementIndex
    /// Frameworks of imported libraries, by key.
    public let imported: [FrameworkCatalog]
    /// Every mapping set: the bundled crosswalk first, then those of imported libraries.
    public let mappingSets: [MappingSet]
    /// Mapping rows left out because an end does not resolve (a node the framework does not
    /// hold, or a framework no longer held), in set and row order.
    public let leftOutRows: [LeftOutMappingRow]

    init(nistAIRMF: FrameworkCatalog, iso42001: FrameworkCatalog, crosswalk: Crosswalk, imported: [FrameworkCatalog] = [],
         mappingSets: [MappingSet] = [], leftOutRows: [LeftOutMappingRow] = []) {
        self.leftOutRows = leftOutRows
        self.nistAIRMF = nistAIRMF
        self.iso42001 = iso42001
        self.crosswalk = crosswalk
        self.imported = imported.sorted { $0.framework < $1.framework }
        self.mappingSets = [MappingSet(crosswalk: crosswalk)] + mappingSets
        index = RequirementIndex(catalogs: [nistAIRMF, iso42001] + self.imported)
    }

    /// Every catalog, the bundled AI RMF and ISO/IEC 42001 first: the order every listing uses.
    public var frameworks: [FrameworkCatalog] { [nistAIRMF, iso42001] + imported }

    /// The bundled catalogs with every one of `libraries`: their frameworks become catalogs, their
    /// mapping sets resolve against those and the bundled catalogs. Built whole from the bundled
    /// base each time (libraries already imported are passed again), so a mapping set resolves
    /// against exactly the frameworks of one engagement. Libraries come with the file (or URN)
    /// to name in an error; a library that cannot be used throws and nothing is built.
    /// Mapping rows that do not resolve are left out and listed (`leftOutRows`). Libraries whose
    /// URN is in `lenient` (those pinned earlier) also lose a whole set whose framework is no
    /// longer held rather than refusing; the others must name frameworks the engagement holds.
    public func including(_ libraries: [(document: LibraryDocument, file: String)], lenient: Set<String> = []) throws(LibraryError) -> CatalogLibrary {
        var catalogs: [FrameworkCatalog] = []
        var definedBy: [FrameworkID: String] = [:]
        for (document, file) in libraries {
            guard let catalog = try LibraryCatalogBuilder.catalog(document, file: file) else { continue }
            if let other = definedBy[catalog.framework] {
                throw .unusable(file: file, reason: "it defines \(catalog.framework.rawValue), which \(other) defines too; keep one of them")
            }
            definedBy[catalog.framework] = file
            catalogs.append(catalog)
        }
        var sets: [MappingSet] = []
        var leftOut: [LeftOutMappingRow] = []
        let mapping = libraries.filter { !$0.document.mappingSets.isEmpty }
        // Indexing every node is work only a mapping set needs.
        if !mapping.isEmpty {
            let resolver = LibraryCatalogBuilder.Resolver(libraries: libraries.map(\.document), catalogs: [nistAIRMF, iso42001] + catalogs)
            for (document, file) in mapping {
                let added = try LibraryCatalogBuilder.mappingSets(document, resolver: resolver, file: file,
                                                                  lenient: lenient.contains(document.urn), leftOut: &leftOut)
                sets.removeAll { set in added.contains { $0.id == set.id } }
                sets += added
            }
        }
        return CatalogLibrary(nistAIRMF: nistAIRMF, iso42001: iso42001, crosswalk: crosswalk, imported: catalogs, mappingSets: sets,
                              leftOutRows: leftOut)
    }

    /// How many rows of each set were left out, by set URN.
    public var leftOutCounts: [String: Int] {
        leftOutRows.reduce(into: [:]) { $0[$1.set, default: 0] += $1.rows }
    }

    /// Every mapping row naming `requirement`, across every set, seen from it.
    public func links(for requirement: RequirementID) -> [MappingLink] {
        mappingSets.flatMap { $0.links(for: requirement) }
    }

    /// The catalog of a framework; for one this library does not hold (a result received for a
    /// framework not imported here), an empty catalog under that key: it names no requirement,
    /// so nothing is inferred or rolled up from it, and such results are shown as unknown.
    public func catalog(_ framework: FrameworkID) -> FrameworkCatalog {
        index.catalogs[framework] ?? FrameworkCatalog(framework: framework, name: framework.rawValue, version: "", publication: "",
                                                      sourceURL: nil, license: nil, requirements: [])
    }

    /// Whether this library holds a catalog for the framework.
    public func holds(_ framework: FrameworkID) -> Bool { index.catalogs[framework] != nil }

    /// The catalogs shipped inside the package. Loaded once per process.
    public static func bundled() throws(CatalogLoadError) -> CatalogLibrary {
        switch cachedBundled {
        case .success(let library): return library
        case .failure(let error): throw error
        }
    }

    private static let cachedBundled: Result<CatalogLibrary, CatalogLoadError> = Result {
        guard let folder = Bundle.module.url(forResource: "catalogs", withExtension: nil) else {
            throw CatalogLoadError(file: "catalogs", reason: "the catalog resources are missing from this installation")
        }
        return try load(from: folder)
    }.mapError { $0 as? CatalogLoadError ?? CatalogLoadError(file: "catalogs", reason: "\($0)") }

    /// The folder holding the bundled catalog files (for tools that compare or copy them).
    public static var bundledFolder: URL? {
        Bundle.module.url(forResource: "catalogs", withExtension: nil)
    }

    /// The files of a catalog folder, `SOURCES.md` (their provenance) included.
    public static let fileNames = [
        "nist-ai-rmf-1.0.json", "iso42001-2023.json", "crosswalk-nist-ai-rmf-iso42001.json", "SOURCES.md",
    ]

    /// Loads the three catalog files from `folder`.
    public static func load(from folder: URL) throws(CatalogLoadError) -> CatalogLibrary {
        let nistFile: CatalogFiles.NISTFile = try decode("nist-ai-rmf-1.0.json", in: folder)
        let isoFile: CatalogFiles.ISOFile = try decode("iso42001-2023.json", in: folder)
        let crosswalkFile: CatalogFiles.CrosswalkFile = try decode("crosswalk-nist-ai-rmf-iso42001.json", in: folder)
        let nist = CatalogBuilder.nist(nistFile)
        let iso = CatalogBuilder.iso(isoFile)
        let crosswalk = try CatalogBuilder.crosswalk(crosswalkFile)
        return CatalogLibrary(nistAIRMF: nist, iso42001: iso, crosswalk: crosswalk)
    }

    private static func decode<T: Decodable>(_ name: String, in folder: URL) throws(CatalogLoadError) -> T {
        do {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw CatalogLoadError(file: name, reason: "\(error)")
        }
    }
}

/// A bundled catalog file is missing or does not decode: the installation is damaged.
public struct CatalogLoadError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let reason: String
    public var description: String { "The catalog file \(file) could not be read (\(reason)); reinstall Fieldbook." }
}

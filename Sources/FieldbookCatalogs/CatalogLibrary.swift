import Foundation
import FieldbookModel

/// The bundled NIST AI RMF 1.0 and ISO/IEC 42001:2023 catalogs and the crosswalk between them.
public struct CatalogLibrary: Sendable {
    public let nistAIRMF: FrameworkCatalog
    public let iso42001: FrameworkCatalog
    public let crosswalk: Crosswalk
    /// Resolves the ids users type (`GV-1.1`, `A.6.2.4`) and searches both catalogs.
    public let index: RequirementIndex

    /// Both catalogs, AI RMF first: the order every listing uses.
    public var frameworks: [FrameworkCatalog] { [nistAIRMF, iso42001] }

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
        return CatalogLibrary(nistAIRMF: nist, iso42001: iso, crosswalk: crosswalk,
                              index: RequirementIndex(catalogs: [nist, iso]))
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

import ArgumentParser
import FieldbookCatalogs
import FieldbookModel

/// `fieldbook catalog frameworks|list|show|search|import`: the bundled frameworks (no workspace
/// needed) and the libraries a workspace imports.
struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Browse the NIST AI RMF 1.0 and ISO/IEC 42001:2023 catalogs and imported libraries; import libraries.",
        subcommands: [Frameworks.self, List.self, Show.self, Search.self, Import.self]
    )

    struct Frameworks: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the bundled frameworks and the crosswalk.")
        @Flag(help: "Print one JSON document.") var json = false

        func run() throws {
            let library = try Catalogs.library()
            let frameworks = library.frameworks.map(FrameworkDocument.init)
            let sets = library.mappingSets.dropFirst().map(MappingSetDocument.init)
            if json {
                try Terminal.printJSON(FrameworksDocument(frameworks: frameworks, crosswalk: CrosswalkSourceDocument(library.crosswalk),
                                                          mappingSets: sets.isEmpty ? nil : sets))
                return
            }
            for framework in frameworks {
                let counts = framework.counts.sorted { $0.key < $1.key }.map { counted($0.value, $0.key) }.joined(separator: ", ")
                Terminal.print("\(framework.id)\t\(framework.name)\n\t\(counts)")
            }
            Terminal.print("crosswalk\t\(library.crosswalk.document) (\(counted(library.crosswalk.rows.count, "row")))")
            for set in sets {
                Terminal.print("mapping\t\(set.source) -> \(set.target): \(set.name) (\(counted(set.rows, "row")); \(set.origin))")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a framework's requirements, optionally below one function, category, clause or objective.")
        @Option(help: "nist-ai-rmf or iso42001 (implied by --under).") var framework: FrameworkID?
        @Option(help: "Only entries below this function, category, clause or Annex A objective (GOVERN, MAP-1, 6, A.6).")
        var under: String?
        @Flag(help: "Only requirements that take an assessment result (subcategories, leaf clauses, controls).")
        var assessable = false
        @Flag(help: "Print one JSON document.") var json = false

        func validate() throws {
            if framework == nil && under == nil {
                throw ValidationError("Name a framework with --framework nist-ai-rmf|iso42001, or a parent with --under.")
            }
        }

        func run() throws {
            let library = try Catalogs.library(mappings: false)
            var parent: Requirement?
            if let under { parent = try Catalogs.resolve(under, in: library) }
            if let framework, let parent, parent.id.framework != framework {
                throw CLIError.badInput("\(parent.id.qualified) is not part of \(framework.rawValue); drop --framework or pick a parent of it.")
            }
            let catalog = try Catalogs.framework(parent?.id.framework ?? framework!, in: library)
            var entries = parent.map { catalog.descendants(of: $0.id) } ?? catalog.requirements
            if assessable { entries = entries.filter(\.assessable) }
            if json {
                try Terminal.printJSON(ListDocument(framework: catalog.framework.rawValue, under: parent?.id.qualified,
                                                    requirements: entries.map(RequirementSummaryDocument.init)))
                return
            }
            for entry in entries {
                let depth = entry.level == .subcategory || entry.level == .control ? "    " : entry.level == .category || entry.parent != nil ? "  " : ""
                Terminal.print("\(depth)\(entry.id.qualified)  \(entry.headline)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one requirement and its crosswalk.")
        @Argument(help: "A requirement id: nist-ai-rmf:GOVERN-1.1, GOVERN-1.1, GV-1.1, iso42001:6.1.2, A.6.2.4.")
        var id: String
        @Flag(help: "Print one JSON document.") var json = false

        func run() throws {
            let library = try Catalogs.library()
            let requirement = try Catalogs.resolve(id, in: library)
            let document = RequirementDocument(requirement, library: library)
            if json { try Terminal.printJSON(document); return }
            Terminal.print("\(document.id)  (\(document.level))")
            if let title = document.title { Terminal.print(title) }
            if let summary = document.summary { Terminal.print(summary) }
            if let text = document.text { Terminal.print("\n\(text)") }
            if let guidance = document.guidanceRef { Terminal.print("\nImplementation guidance: \(guidance)") }
            if !document.children.isEmpty { Terminal.print("\nBelow it: \(document.children.joined(separator: ", "))") }
            if !document.crosswalk.isEmpty {
                Terminal.print("\nRelated in \(requirement.id.framework.other.rawValue) (crosswalk):")
                for mapping in document.crosswalk {
                    Terminal.print("  \(mapping.id)  \(mapping.headline)\(mapping.via.map { "  (via \($0))" } ?? "")")
                }
            }
        }
    }

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Find requirements by id, title or text, best match first.")
        @Argument(parsing: .remaining, help: "Words that must all appear.") var words: [String]
        @Option(help: "Show at most this many results.") var limit = 20
        @Flag(help: "Print one JSON document.") var json = false

        func validate() throws {
            if words.joined().trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("Give the words to search for, for example: fieldbook catalog search impact assessment")
            }
            if limit < 1 { throw ValidationError("--limit must be at least 1.") }
        }

        func run() throws {
            let library = try Catalogs.library(mappings: false)
            let query = words.joined(separator: " ")
            let hits = library.index.search(query)
            let shown = hits.prefix(limit)
            if json {
                try Terminal.printJSON(SearchDocument(query: query, total: hits.count, results: shown.map {
                    SearchResultDocument(requirement: RequirementSummaryDocument($0.requirement), score: $0.score)
                }))
                return
            }
            if hits.isEmpty { Terminal.print("No requirement mentions '\(query)'."); return }
            for hit in shown { Terminal.print("\(hit.requirement.id.qualified)  \(hit.requirement.headline)") }
            if hits.count > shown.count { Terminal.print("(\(hits.count - shown.count) more; use --limit)") }
        }
    }
}

/// `--framework` takes any framework key; commands check it against the catalogs at hand
/// (`Catalogs.framework`), so a typo is bad input naming them, never a silently empty report.
extension FrameworkID: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument) }
}

struct FrameworksDocument: Encodable {
    let frameworks: [FrameworkDocument]
    let crosswalk: CrosswalkSourceDocument
    /// Imported libraries' mapping sets; nil when there are none.
    let mappingSets: [MappingSetDocument]?

    enum CodingKeys: String, CodingKey { case frameworks, crosswalk, mappingSets = "mapping_sets" }
}

/// An imported mapping set, as `catalog frameworks` lists it.
struct MappingSetDocument: Encodable {
    let urn: String
    let name: String
    let source: String
    let target: String
    let rows: Int
    let origin: String

    init(_ set: MappingSet) {
        urn = set.id
        name = set.name
        source = set.source.rawValue
        target = set.target.rawValue
        rows = set.rows.count
        origin = set.origin
    }
}

struct FrameworkDocument: Encodable {
    let id: String
    let name: String
    let version: String
    let publication: String
    let sourceURL: String?
    let license: String?
    let counts: [String: Int]

    enum CodingKeys: String, CodingKey {
        case id, name, version, publication
        case sourceURL = "source_url"
        case license, counts
    }

    init(_ catalog: FrameworkCatalog) {
        id = catalog.framework.rawValue
        name = catalog.name
        version = catalog.version
        publication = catalog.publication
        sourceURL = catalog.sourceURL
        license = catalog.license
        counts = Dictionary(grouping: catalog.requirements, by: { $0.level.rawValue }).mapValues(\.count)
    }
}

struct ListDocument: Encodable {
    let framework: String
    let under: String?
    let requirements: [RequirementSummaryDocument]
}

struct SearchDocument: Encodable {
    let query: String
    let total: Int
    let results: [SearchResultDocument]
}

struct SearchResultDocument: Encodable {
    let requirement: RequirementSummaryDocument
    let score: Int
}

import ArgumentParser
import FieldbookCatalogs
import FieldbookModel
import FieldbookReports

/// `fieldbook crosswalk ID`: the other framework's requirements related to ID, from either end.
/// `fieldbook crosswalk --export oscal-mapping [-o FILE]`: the whole crosswalk as an OSCAL 1.2
/// mapping collection (see `OSCALMappingCollection`), the same bytes on every run.
struct CrosswalkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crosswalk",
        abstract: "Show what the NIST-hosted AI RMF <-> ISO/IEC 42001 crosswalk relates to a requirement, or export it as OSCAL.")

    /// The formats `--export` writes.
    static let exports = ["oscal-mapping"]

    @Argument(help: "A requirement of either framework: GV-1.1, MAP-1, A.6.2.4, 6.1.2.") var id: String?
    @Flag(help: "Print one JSON document.") var json = false
    @Option(help: "Write the whole crosswalk in this format instead: 'oscal-mapping' (an OSCAL 1.2 mapping collection).")
    var export: String?
    @Option(name: .shortAndLong, help: "With --export, write to this file instead of standard output.") var output: String?

    func validate() throws {
        if let export {
            guard Self.exports.contains(export) else {
                throw ValidationError("'\(export.prefix(60))' is not a crosswalk export; the only one is --export oscal-mapping.")
            }
            if id != nil {
                throw ValidationError("--export writes the whole crosswalk, not one requirement's rows; leave out the requirement id, or leave out --export.")
            }
            if json {
                throw ValidationError("--export oscal-mapping already writes JSON; leave out --json.")
            }
        } else {
            if output != nil {
                throw ValidationError("-o writes an export; add --export oscal-mapping, or leave out -o.")
            }
            if id == nil {
                throw ValidationError("Name a requirement (fieldbook crosswalk A.6.2.4), or export the whole crosswalk with --export oscal-mapping.")
            }
        }
    }

    func run() throws {
        let library = try Catalogs.library()
        if export != nil {
            return try ReportCommand.Options.write(try OSCALMappingCollection.json(library), to: output)
        }
        guard let id else { return }
        let requirement = try Catalogs.resolve(id, in: library)
        let bundled = FrameworkID.bundled.contains(requirement.id.framework)
        let mappings = bundled ? CrosswalkMappingDocument.all(for: requirement, library: library) : []
        // Direct rows of every imported mapping set, from this requirement's end.
        let rows = library.mappingSets.dropFirst().flatMap { $0.links(for: requirement.id) }.map {
            MappingSetRowDocument(link: $0, library: library)
        }
        if json {
            try Terminal.printJSON(CrosswalkDocument(
                requirement: RequirementSummaryDocument(requirement),
                otherFramework: requirement.id.framework.other.rawValue,
                mappings: mappings,
                crosswalk: CrosswalkSourceDocument(library.crosswalk),
                mappingSets: rows.isEmpty ? nil : rows))
            return
        }
        Terminal.print("\(requirement.id.qualified)  \(requirement.headline)")
        for row in rows {
            Terminal.print("  \(row.id) \(row.relationship) to it  \(row.headline ?? "")  (\(row.setName), \(row.origin))")
            if let rationale = row.rationale { Terminal.print("      rationale: \(rationale)") }
        }
        guard bundled else {
            if rows.isEmpty { Terminal.print("No mapping set relates anything to it.") }
            return
        }
        if mappings.isEmpty {
            Terminal.print("The crosswalk relates nothing in \(requirement.id.framework.other.rawValue) to it.")
        }
        for mapping in mappings {
            var line = "  \(mapping.relationship)  \(mapping.id)  \(mapping.headline)"
            if let via = mapping.via { line += "  (via \(via))" }
            Terminal.print(line)
            if let note = mapping.note { Terminal.print("      note: \(note)") }
        }
        Terminal.print("Source: \(library.crosswalk.document), \(library.crosswalk.url)")
    }
}

struct CrosswalkDocument: Encodable {
    let requirement: RequirementSummaryDocument
    let otherFramework: String
    let mappings: [CrosswalkMappingDocument]
    let crosswalk: CrosswalkSourceDocument
    /// Rows of imported mapping sets; nil when there are none.
    let mappingSets: [MappingSetRowDocument]?

    enum CodingKeys: String, CodingKey {
        case requirement
        case otherFramework = "other_framework"
        case mappings, crosswalk, mappingSets = "mapping_sets"
    }
}

/// One row of an imported mapping set, from the asked requirement's end.
struct MappingSetRowDocument: Encodable {
    /// The requirement at the other end.
    let id: String
    let headline: String?
    /// How `id` relates to the asked requirement.
    let relationship: String
    let rationale: String?
    let strength: Int?
    let set: String
    let setName: String
    let origin: String

    enum CodingKeys: String, CodingKey { case id, headline, relationship, rationale, strength, set, setName = "set_name", origin }

    init(link: MappingLink, library: CatalogLibrary) {
        id = link.requirement.qualified
        headline = library.index[link.requirement]?.headline
        relationship = link.relationship.rawValue
        rationale = link.row.rationale
        strength = link.row.strength
        set = link.set
        let mappingSet = library.mappingSets.first { $0.id == link.set }
        setName = mappingSet?.name ?? link.set
        origin = mappingSet?.origin ?? ""
    }
}

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
        // Direct rows of every imported mapping set, from this requirement's end: one entry per
        // related requirement, however many sets (a set and its reverse) name the pair.
        let links = library.mappingSets.dropFirst().flatMap { $0.links(for: requirement.id) }
        let related = links.map(\.requirement).reduce(into: [RequirementID]()) { if !$0.contains($1) { $0.append($1) } }
        let rows = related.map { other in
            MappingSetRowDocument(links: links.filter { $0.requirement == other }, library: library)
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
            Terminal.print("  \(row.id) \(row.relationship) to it  \(row.headline ?? "")  (\(row.sourcesText))")
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

/// A requirement related to the asked one by imported mapping sets, from the asked requirement's
/// end: once, with every set row naming the pair (a set and its reverse usually both do).
struct MappingSetRowDocument: Encodable {
    /// One set's row naming the pair.
    struct Source: Encodable {
        let set: String
        let setName: String
        let origin: String
        /// How the related requirement relates to the asked one, by this row.
        let relationship: String
        let rationale: String?
        let strength: Int?

        enum CodingKeys: String, CodingKey { case set, setName = "set_name", origin, relationship, rationale, strength }
    }

    /// The requirement at the other end.
    let id: String
    let headline: String?
    /// How `id` relates to the asked requirement (the first row's reading; each row's is in `sources`).
    let relationship: String
    let rationale: String?
    let strength: Int?
    let set: String
    let setName: String
    let origin: String
    /// Every row naming the pair, in set order.
    let sources: [Source]

    enum CodingKeys: String, CodingKey { case id, headline, relationship, rationale, strength, set, setName = "set_name", origin, sources }

    /// `links`: every link to one requirement, at least one.
    init(links: [MappingLink], library: CatalogLibrary) {
        sources = links.map { link in
            let mappingSet = library.mappingSets.first { $0.id == link.set }
            return Source(set: link.set, setName: mappingSet?.name ?? link.set, origin: mappingSet?.origin ?? "",
                          relationship: link.relationship.rawValue, rationale: link.row.rationale, strength: link.row.strength)
        }
        let first = sources[0]
        id = links[0].requirement.qualified
        headline = library.index[links[0].requirement]?.headline
        relationship = first.relationship
        rationale = first.rationale
        strength = first.strength
        set = first.set
        setName = first.setName
        origin = first.origin
    }

    /// The sets naming the pair, for people: "set A and set B, library version 1"; where the
    /// rows read the pair differently, each set's reading follows its name.
    var sourcesText: String {
        let readings = Set(sources.map(\.relationship))
        let origins = sources.map(\.origin).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return origins.map { origin in
            sources.filter { $0.origin == origin }
                .map { $0.setName + (readings.count > 1 ? ": \($0.relationship)" : "") }
                .joined(separator: " and ") + ", \(origin)"
        }.joined(separator: "; ")
    }
}

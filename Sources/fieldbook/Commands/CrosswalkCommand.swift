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
        let mappings = CrosswalkMappingDocument.all(for: requirement, library: library)
        if json {
            try Terminal.printJSON(CrosswalkDocument(
                requirement: RequirementSummaryDocument(requirement),
                otherFramework: requirement.id.framework.other.rawValue,
                mappings: mappings,
                crosswalk: CrosswalkSourceDocument(library.crosswalk)))
            return
        }
        Terminal.print("\(requirement.id.qualified)  \(requirement.headline)")
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

    enum CodingKeys: String, CodingKey {
        case requirement
        case otherFramework = "other_framework"
        case mappings, crosswalk
    }
}

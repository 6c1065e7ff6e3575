import ArgumentParser
import FieldbookCatalogs
import FieldbookModel

/// `fieldbook crosswalk ID`: the other framework's requirements related to ID, from either end.
struct CrosswalkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crosswalk",
        abstract: "Show what the NIST-hosted AI RMF <-> ISO/IEC 42001 crosswalk relates to a requirement.")

    @Argument(help: "A requirement of either framework: GV-1.1, MAP-1, A.6.2.4, 6.1.2.") var id: String
    @Flag(help: "Print one JSON document.") var json = false

    func run() throws {
        let library = try Catalogs.library()
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

import Foundation
import Testing
import FieldbookModel
@testable import FieldbookCatalogs

struct CatalogContentTests {
    let library = try! CatalogLibrary.bundled()

    @Test("AI RMF: 4 functions, 19 categories, 72 subcategories")
    func nistCounts() {
        let levels = Dictionary(grouping: library.nistAIRMF.requirements, by: \.level).mapValues(\.count)
        #expect(levels[.function] == 4)
        #expect(levels[.category] == 19)
        #expect(levels[.subcategory] == 72)
        #expect(library.nistAIRMF.assessable.count == 72)
        let perFunction = Dictionary(grouping: library.nistAIRMF.requirements.filter { $0.level == .subcategory },
                                     by: { $0.id.local.split(separator: "-")[0] }).mapValues(\.count)
        #expect(perFunction == ["GOVERN": 19, "MAP": 18, "MEASURE": 22, "MANAGE": 13])
    }

    @Test("ISO/IEC 42001: clauses 4 to 10, 11 Annex A objectives, 38 controls")
    func isoCounts() {
        let iso = library.iso42001
        let topClauses = iso.requirements.filter { $0.level == .clause && $0.parent == nil }.map(\.id.local)
        #expect(topClauses == ["4", "5", "6", "7", "8", "9", "10"])
        #expect(iso.requirements.filter { $0.level == .clause }.count == 43)
        #expect(iso.requirements.filter { $0.level == .objective }.count == 11)
        let controls = iso.requirements.filter { $0.level == .control }
        #expect(controls.count == 38)
        #expect(controls.allSatisfy { $0.extra["guidance_ref"] == "B." + $0.id.local.dropFirst(2) })
        #expect(iso[RequirementID(framework: .iso42001, local: "6.1.4")]?.title == "AI system impact assessment")
    }

    @Test("every parent link points at an entry of the same catalog")
    func parents() {
        for catalog in library.frameworks {
            for requirement in catalog.requirements {
                if let parent = requirement.parent { #expect(catalog[parent] != nil, "\(requirement.id) -> \(parent)") }
            }
        }
    }

    @Test("every crosswalk row resolves and is answered from both ends")
    func crosswalkBothWays() {
        let crosswalk = library.crosswalk
        #expect(crosswalk.rows.count == 280)
        for row in crosswalk.rows {
            #expect(library.index[row.source]?.level == .subcategory, "\(row.source)")
            #expect(library.index[row.target] != nil, "\(row.target)")
            #expect(crosswalk.links(for: row.source).contains { $0.requirement == row.target && $0.row == row })
            #expect(crosswalk.links(for: row.target).contains { $0.requirement == row.source && $0.row == row })
        }
        let subcategories = Set(library.nistAIRMF.assessable.map(\.id))
        #expect(Set(crosswalk.rows.map(\.source)) == subcategories)
        let controls = Set(library.iso42001.requirements.filter { $0.level == .control }.map(\.id))
        #expect(controls.isSubset(of: Set(crosswalk.rows.map(\.target))))
    }

    @Test("the published anomalies keep their notes")
    func anomalyNotes() {
        let noted = library.crosswalk.rows.filter { $0.note != nil }
        #expect(noted.count == 4)
        #expect(noted.contains { $0.source.local == "GOVERN-2.1" && $0.publishedRef == "7..2" && $0.target.local == "7.2" })
    }

    @Test("real short forms resolve against the bundled catalogs")
    func resolveReal() throws {
        #expect(try library.index.resolve("GV-1.1").id.qualified == "nist-ai-rmf:GOVERN-1.1")
        #expect(try library.index.resolve("A.6.2.4").id.qualified == "iso42001:A.6.2.4")
        #expect(try library.index.resolve("MEASURE 2.13").id.qualified == "nist-ai-rmf:MEASURE-2.13")
        #expect(throws: RequirementLookupError.self) { try library.index.resolve("XX-9.9") }
    }

    @Test("search finds impact assessment items with the title match first")
    func search() {
        let hits = library.index.search("impact assessment")
        #expect(hits.prefix(4).contains { $0.requirement.id.qualified == "iso42001:6.1.4" })
        #expect(hits.prefix(4).contains { $0.requirement.id.qualified == "iso42001:A.5.2" })
    }
}

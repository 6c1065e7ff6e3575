import FieldbookCatalogs
import FieldbookModel
import FieldbookReports
import Foundation
import Testing

/// Imported libraries become catalogs and mapping sets; inference chains through them and
/// grades each path by its weakest row.
struct MappingInferenceTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/libraries")

    static func library(_ names: [String]) throws -> CatalogLibrary {
        let documents = try names.map { name in
            (document: try LibraryReader.read(contentsOf: fixtures.appendingPathComponent(name)), file: name)
        }
        return try CatalogLibrary.bundled().including(documents)
    }

    static let all = ["demo-scf.yaml", "demo-csf.yaml", "mapping-iso42001-demo-scf.yaml", "mapping-demo-scf-demo-csf.yaml"]

    func id(_ text: String) throws -> RequirementID { try #require(RequirementID(qualified: text)) }

    @Test("a framework library's nodes become framework:ref ids; a node without ref_id is named by its URN; short forms resolve")
    func identity() throws {
        let library = try Self.library(Self.all)
        #expect(library.frameworks.map(\.framework.rawValue) == ["nist-ai-rmf", "iso42001", "demo-csf", "demo-scf"])
        let scf = library.catalog(try id("demo-scf:CHG-03").framework)
        #expect(scf.requirements.map(\.id.local) == ["CHG", "CHG-03", "GOV-01", "node9"])
        #expect(scf.assessable.map(\.id.local) == ["CHG-03", "GOV-01", "node9"])
        #expect(scf[try id("demo-scf:GOV-01")]?.ref == "GOV 01")
        #expect(try library.index.resolve("ID.RA-07").id.qualified == "demo-csf:ID.RA-07")
        #expect(try library.index.resolve("demo-csf:id.ra-07").id.qualified == "demo-csf:ID.RA-07")
        // The bundled frameworks keep their catalogs and the crosswalk is the first mapping set.
        let bundled = try #require(library.mappingSets.first)
        #expect(bundled.rows.map { "\($0.source) \($0.target) \($0.relationship.rawValue)" }
                == library.crosswalk.rows.map { "\($0.source) \($0.target) \($0.inverseRelationship.rawValue)" })
        #expect(bundled.rows.count == 280 && bundled.source == .nistAIRMF && bundled.target == .iso42001)
    }

    @Test("CISO Assistant's URNs of ISO/IEC 42001 attach to the bundled catalog; a clause it assesses whole maps to every part")
    func bundledAliases() throws {
        let library = try Self.library(Self.all)
        let set = try #require(library.mappingSets.first { $0.id == "urn:fieldbook:test:req_mapping_set:iso42001-demo-scf" })
        #expect(set.source == .iso42001)
        let direct = try #require(set.rows.first { $0.source.qualified == "iso42001:A.5.2" })
        #expect(direct.target.qualified == "demo-scf:CHG-03" && direct.relationship == .equal && direct.strength == 9)
        let split = set.rows.filter { $0.target.qualified == "demo-scf:GOV-01" }
        #expect(split.map(\.source.qualified) == ["iso42001:6.1.1", "iso42001:6.1.2", "iso42001:6.1.3", "iso42001:6.1.4"])
        // A part of a clause that contains GOV-01 is not known to contain it: intersect.
        #expect(split.allSatisfy { $0.relationship == .intersect })
    }

    @Test("a chain of two mapping sets infers with its path explained and graded by the weakest row")
    func chain() throws {
        let library = try Self.library(Self.all)
        let a52 = try id("iso42001:A.5.2")
        let status: (RequirementID) -> AssessmentStatus? = { $0 == a52 ? .compliant : nil }
        let csf = MappingInference(requirement: try id("demo-csf:ID.RA-07"), library: library, status: status)
        #expect(csf.paths.count == 1)
        let path = try #require(csf.paths.first)
        #expect(path.source == "iso42001:A.5.2" && path.status == "compliant" && path.coverage == "partial")
        #expect(path.hops.map { "\($0.from) \($0.relationship) \($0.to)" }
                == ["iso42001:A.5.2 equal demo-scf:CHG-03", "demo-scf:CHG-03 subset demo-csf:ID.RA-07"])
        let scf = MappingInference(requirement: try id("demo-scf:CHG-03"), library: library, status: status)
        #expect(scf.paths.map(\.coverage) == ["full"])
        // not_related carries nothing.
        let gov = try id("demo-scf:GOV-01")
        let unrelated = MappingInference(requirement: try id("demo-csf:GV.OC-01"), library: library) { $0 == gov ? .nonCompliant : nil }
        #expect(unrelated.paths.isEmpty)
    }

    @Test("paths never return to a framework they left, so the bundled crosswalk alone gives one-row paths")
    func noRoundTrips() throws {
        let library = try CatalogLibrary.bundled()
        let gv11 = try id("nist-ai-rmf:GOVERN-1.1")
        let inference = MappingInference(requirement: try id("nist-ai-rmf:GOVERN-1.2"), library: library) { $0 == gv11 ? .compliant : nil }
        #expect(inference.paths.isEmpty)
        let iso = library.crosswalk.links(for: gv11).first.map(\.requirement)
        let toISO = MappingInference(requirement: try #require(iso), library: library) { $0 == gv11 ? .compliant : nil }
        #expect(toISO.paths.map(\.hops.count) == [1])
    }

    @Test("a mapping library whose frameworks are absent, or two libraries defining one framework, are refused naming the file")
    func refusals() throws {
        #expect { try Self.library(["demo-scf.yaml", "mapping-demo-scf-demo-csf.yaml"]) } throws: { error in
            "\(error)".hasPrefix("mapping-demo-scf-demo-csf.yaml: mapping set urn:fieldbook:test:req_mapping_set:demo-scf-demo-csf maps to urn:fieldbook:test:framework:demo-csf")
        }
        let scf = try LibraryReader.read(contentsOf: Self.fixtures.appendingPathComponent("demo-scf.yaml"))
        var copy = scf
        copy.urn = "urn:fieldbook:test:library:demo-scf-copy"
        #expect { try CatalogLibrary.bundled().including([(scf, "demo-scf.yaml"), (copy, "copy.yaml")]) } throws: { error in
            "\(error)" == "copy.yaml: it defines demo-scf, which demo-scf.yaml defines too; keep one of them."
        }
    }
}

import Foundation
import Testing
@testable import FieldbookModel

/// Id parsing against a small synthetic catalog, so the rules are tested apart from the data.
struct RequirementIndexTests {
    static let index: RequirementIndex = {
        func nist(_ local: String, _ level: RequirementLevel, _ parent: String?) -> Requirement {
            Requirement(id: RequirementID(framework: .nistAIRMF, local: local), level: level, ref: local.replacingOccurrences(of: "-", with: " "),
                        title: nil, text: "Text of \(local)", parent: parent.map { RequirementID(framework: .nistAIRMF, local: $0) },
                        assessable: level == .subcategory)
        }
        func iso(_ local: String, _ level: RequirementLevel, _ parent: String?) -> Requirement {
            Requirement(id: RequirementID(framework: .iso42001, local: local), level: level, ref: local, title: "Title \(local)",
                        text: nil, parent: parent.map { RequirementID(framework: .iso42001, local: $0) },
                        assessable: level == .control || level == .clause)
        }
        var nistEntries: [Requirement] = []
        for function in ["GOVERN", "MAP", "MEASURE", "MANAGE"] {
            nistEntries.append(nist(function, .function, nil))
            nistEntries.append(nist("\(function)-1", .category, function))
            nistEntries.append(nist("\(function)-1.1", .subcategory, "\(function)-1"))
            nistEntries.append(nist("\(function)-1.2", .subcategory, "\(function)-1"))
        }
        let nistCatalog = FrameworkCatalog(framework: .nistAIRMF, name: "AI RMF", version: "1.0", publication: "", sourceURL: nil,
                                           license: nil, requirements: nistEntries)
        let isoCatalog = FrameworkCatalog(framework: .iso42001, name: "42001", version: "2023", publication: "", sourceURL: nil, license: nil,
                                          requirements: [iso("6", .clause, nil), iso("6.1", .clause, "6"), iso("6.1.2", .clause, "6.1"),
                                                         iso("A.6", .objective, nil), iso("A.6.2", .objective, "A.6"),
                                                         iso("A.6.2.4", .control, "A.6.2")])
        return RequirementIndex(catalogs: [nistCatalog, isoCatalog])
    }()

    @Test("every short form of a subcategory resolves to the same id", arguments: [
        "nist-ai-rmf:GOVERN-1.1", "GOVERN-1.1", "GOVERN 1.1", "govern 1.1", "Govern-1.1", "GV-1.1", "gv-1.1", "GV 1.1",
        "GV1.1", "GOV-1.1", "  GOVERN-1.1  ", "NIST-AI-RMF:govern-1.1",
    ])
    func shortFormsOfGovern(input: String) throws {
        #expect(try Self.index.resolve(input).id.qualified == "nist-ai-rmf:GOVERN-1.1")
    }

    @Test("the function abbreviations MP, MS and MG name MAP, MEASURE and MANAGE")
    func abbreviations() throws {
        #expect(try Self.index.resolve("MP-1.2").id.qualified == "nist-ai-rmf:MAP-1.2")
        #expect(try Self.index.resolve("ms 1.1").id.qualified == "nist-ai-rmf:MEASURE-1.1")
        #expect(try Self.index.resolve("MG-1.1").id.qualified == "nist-ai-rmf:MANAGE-1.1")
    }

    @Test("ISO clause, Annex A control and Annex B guidance forms", arguments: [
        ("6.1.2", "iso42001:6.1.2"), ("iso42001:6.1.2", "iso42001:6.1.2"), ("A.6.2.4", "iso42001:A.6.2.4"),
        ("a.6.2.4", "iso42001:A.6.2.4"), ("iso42001:a.6.2.4", "iso42001:A.6.2.4"), ("B.6.2.4", "iso42001:A.6.2.4"),
        ("A.6", "iso42001:A.6"), ("6", "iso42001:6"),
    ])
    func isoForms(input: String, expected: String) throws {
        #expect(try Self.index.resolve(input).id.qualified == expected)
    }

    @Test("a prefix shared by several functions is ambiguous and lists every candidate")
    func ambiguous() {
        #expect(throws: RequirementLookupError.ambiguous(input: "MA-1.1", candidates: [
            RequirementID(framework: .nistAIRMF, local: "MANAGE-1.1"), RequirementID(framework: .nistAIRMF, local: "MAP-1.1"),
        ])) { try Self.index.resolve("MA-1.1") }
    }

    @Test("an unknown id is refused with the closest real ids")
    func unknown() throws {
        do {
            _ = try Self.index.resolve("GOVERN-9.9")
            Issue.record("GOVERN-9.9 resolved")
        } catch {
            guard case let .unknown(input, suggestions) = error else { Issue.record("wrong error \(error)"); return }
            #expect(input == "GOVERN-9.9")
            #expect(suggestions.count == 3)
            #expect(suggestions.allSatisfy { $0.local.hasPrefix("GOVERN") })
            #expect(error.description.contains("GOVERN-9.9"))
        }
    }

    @Test("the framework prefix restricts the lookup", arguments: ["iso42001:GOVERN-1.1", "nist-ai-rmf:6.1.2", "other:6.1.2"])
    func wrongFramework(input: String) {
        #expect(throws: RequirementLookupError.self) { try Self.index.resolve(input) }
    }

    @Test("empty input is refused")
    func empty() {
        #expect(throws: RequirementLookupError.empty) { try Self.index.resolve("   ") }
    }

    @Test("requirement ids sort in natural order")
    func naturalOrder() {
        let ids = ["A.6.2.10", "A.6.2.9", "10.1", "9.3.3", "A.10.2"].map { RequirementID(framework: .iso42001, local: $0) }
        #expect(ids.sorted().map(\.local) == ["9.3.3", "10.1", "A.6.2.9", "A.6.2.10", "A.10.2"])
    }

    @Test("search ranks an id match above a title match above a text match")
    func searchRanking() {
        let hits = Self.index.search("6.1.2")
        #expect(hits.first?.requirement.id.qualified == "iso42001:6.1.2")
        #expect(Self.index.search("no-such-word").isEmpty)
    }
}

import Foundation
import Testing
@testable import FieldbookCatalogs

/// `LibraryReader`: CISO Assistant libraries in, a validated `LibraryDocument` or one sentence out.
/// Fixtures are our own small libraries (CISO Assistant's files are AGPL and stay out of the tree).
struct LibraryReaderTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/libraries")

    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: fixtures.appendingPathComponent(name))
    }

    static func read(_ name: String) throws -> LibraryDocument {
        try LibraryReader.read(contentsOf: fixtures.appendingPathComponent(name))
    }

    /// The error reading `data` as `file` throws, or nil when it reads.
    static func refusal(_ data: Data, file: String, limits: LibraryReader.Limits = .standard) -> LibraryError? {
        do {
            _ = try LibraryReader.read(data, file: file, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    static func refusal(fixture name: String) throws -> LibraryError? {
        refusal(try fixture(name), file: name)
    }

    /// One sentence, starting with the file's name, saying `words`.
    static func expectSentence(_ error: LibraryError?, file: String, saying words: [String],
                               sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error else {
            Issue.record("\(file) was read, not refused", sourceLocation: sourceLocation)
            return
        }
        let sentence = error.description
        #expect(error.file == file, sourceLocation: sourceLocation)
        #expect(sentence.hasPrefix("\(file): "), "\(sentence)", sourceLocation: sourceLocation)
        #expect(sentence.hasSuffix("."), "\(sentence)", sourceLocation: sourceLocation)
        #expect(!sentence.dropLast().contains(". ") && !sentence.contains("\n"), "one sentence: \(sentence)",
                sourceLocation: sourceLocation)
        for word in words {
            #expect(sentence.contains(word), "\(sentence) should say \(word)", sourceLocation: sourceLocation)
        }
    }

    // MARK: - Libraries that read

    @Test("a framework library reads into nodes with depths, refs and optional fields")
    func framework() throws {
        let library = try Self.read("framework-sample.yaml")
        #expect(library.urn == "urn:fieldbook:risk:library:sample-ai-controls")
        #expect(library.version == 3)
        #expect(library.locale == "en" && library.provider == "Fieldbook" && library.packager == "fieldbook")
        #expect(library.dependencies.isEmpty && library.mappingSets.isEmpty)
        let framework = try #require(library.framework)
        #expect(library.frameworkKey == "sample-ai-controls")
        #expect(framework.minScore == 0 && framework.maxScore == 3)
        #expect(framework.nodes.map(\.ref) == ["GOV", "GOV.1", "GOV.1.1", "node7", "DATA", "1.10"])
        #expect(framework.nodes.map(\.depth) == [1, 2, 3, 3, 1, 2])
        #expect(framework.nodes.map(\.assessable) == [false, false, true, true, false, true])
        let accountable = framework.nodes[2]
        #expect(accountable.parentURN == "urn:fieldbook:risk:req_node:sample-ai-controls:gov.1")
        #expect(accountable.description == "Someone is named accountable for each AI system.")
        #expect(accountable.annotation == "Example: a \"who decides\" chart per system.")
        let unnamed = framework.nodes[3]
        #expect(unnamed.refID == nil && unnamed.name == nil, "an assessable node without ref_id keeps none")
        #expect(library.requiredFrameworks.isEmpty)
    }

    @Test("mapping libraries read in the plural and the older singular form")
    func mappings() throws {
        let plural = try Self.read("mapping-plural.yaml")
        #expect(plural.framework == nil && plural.frameworkKey == nil)
        #expect(plural.mappingSets.count == 2)
        #expect(plural.dependencies == ["urn:fieldbook:risk:library:sample-ai-controls", "urn:fieldbook:risk:library:sample-policy"])
        let forward = plural.mappingSets[0]
        #expect(forward.sourceFrameworkURN == "urn:fieldbook:risk:framework:sample-ai-controls")
        #expect(forward.targetFrameworkURN == "urn:fieldbook:risk:framework:sample-policy")
        #expect(forward.mappings.map(\.relationship) == [.equal, .subset, .notRelated])
        #expect(forward.mappings[0].rationale == "semantic" && forward.mappings[0].strength == 8)
        #expect(forward.mappings[1].rationale == nil && forward.mappings[1].strength == nil)
        #expect(plural.mappingSets[1].description == nil && plural.mappingSets[1].mappings.map(\.relationship) == [.equal, .superset])
        #expect(plural.requiredFrameworks == ["urn:fieldbook:risk:framework:sample-ai-controls", "urn:fieldbook:risk:framework:sample-policy"])

        let singular = try Self.read("mapping-singular.yaml")
        #expect(singular.mappingSets.count == 1)
        #expect(singular.mappingSets[0].mappings.first?.relationship == .intersect)
        #expect(singular.mappingSets[0].refID == "sample-policy-v1")
        #expect(LibraryDocument.frameworkKey(ofURN: singular.mappingSets[0].sourceFrameworkURN) == "sample-policy")
    }

    @Test("requiredFrameworks leaves out the framework the library defines itself")
    func requiredFrameworksOwnFramework() throws {
        var library = try Self.read("framework-sample.yaml")
        let mappings = try Self.read("mapping-singular.yaml")
        library.mappingSets = mappings.mappingSets
        #expect(library.requiredFrameworks == ["urn:fieldbook:risk:framework:sample-policy"])
    }

    @Test("frameworkKey and ref follow the URN's last segment")
    func identity() {
        #expect(LibraryDocument.frameworkKey(ofURN: "urn:intuitem:risk:framework:nist-csf-2.0") == "nist-csf-2.0")
        #expect(LibraryDocument.frameworkKey(ofURN: "urn:intuitem:risk:framework:ai-act") == "ai-act")
        let node = LibraryDocument.Node(urn: "urn:intuitem:risk:req_node:ai-act:node415", assessable: true, depth: 4,
                                        parentURN: nil, refID: nil, name: nil, description: nil, annotation: nil)
        #expect(node.ref == "node415")
    }

    // MARK: - Canonical form

    @Test("the same library formatted differently has the same canonical form and SHA-256")
    func canonicalHashIgnoresFormatting() throws {
        let block = try Self.read("framework-sample.yaml")
        let flow = try Self.read("framework-sample-reformatted.yaml")
        #expect(block == flow)
        #expect(block.canonicalData == flow.canonicalData)
        #expect(block.sha256 == flow.sha256)
        #expect(block.sha256.count == 64 && block.sha256.allSatisfy { $0.isHexDigit && !$0.isUppercase })
    }

    @Test("a node's changed name changes the SHA-256")
    func canonicalHashSeesChanges() throws {
        let original = try Self.read("framework-sample.yaml")
        var renamed = original
        renamed.framework?.nodes[1].name = "Accountability and roles"
        #expect(renamed.sha256 != original.sha256)
        var reordered = original
        reordered.framework?.nodes.swapAt(4, 5)
        #expect(reordered.sha256 != original.sha256, "node order is meaning")
    }

    @Test("the canonical form is compact sorted JSON that reads back to the same library")
    func canonicalRoundTrip() throws {
        for name in ["framework-sample.yaml", "mapping-plural.yaml", "mapping-singular.yaml"] {
            let library = try Self.read(name)
            let canonical = library.canonicalData
            let text = try #require(String(data: canonical, encoding: .utf8))
            #expect(!text.contains("\n") && !text.contains("{ ") && !text.contains(", \""))
            #expect(text.hasPrefix("{\"copyright\":\"") || text.hasPrefix("{\"dependencies\":["), "keys sorted: \(text.prefix(40))")
            #expect(try LibraryReader.read(canonical, file: "canonical.json") == library)
            let object = try #require(try JSONSerialization.jsonObject(with: canonical) as? [String: Any])
            #expect(object["urn"] as? String == library.urn)
        }
    }

    @Test("canonical strings escape quotes, backslashes and control characters only")
    func canonicalEscaping() throws {
        var library = try Self.read("mapping-singular.yaml")
        library.description = "a \"quoted\" \\ path/with/slashes\tand\u{01} é"
        let text = try #require(String(data: library.canonicalData, encoding: .utf8))
        #expect(text.contains(#""description":"a \"quoted\" \\ path/with/slashes\tand\u0001 é""#))
    }
}

import Foundation
import Testing
@testable import FieldbookCatalogs

/// Every bad library is refused with one sentence naming the file and what is wrong.
struct LibraryReaderRefusalTests {
    typealias T = LibraryReaderTests

    static func sample() throws -> String {
        try #require(String(data: try T.fixture("framework-sample.yaml"), encoding: .utf8))
    }

    static func refusal(_ text: String, file: String = "library.yaml") -> LibraryError? {
        T.refusal(Data(text.utf8), file: file)
    }

    // MARK: - Not a library at all

    @Test("a file that is not YAML is refused with libyaml's line")
    func notYAML() throws {
        let error = try T.refusal(fixture: "not-yaml.txt")
        guard case .notYAML(_, let line?, _) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(line == 2)
        T.expectSentence(error, file: "not-yaml.txt", saying: ["is not valid YAML (line 2)"])
    }

    @Test("binary data is refused as not text")
    func binary() {
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D])
        png.append(contentsOf: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 131) })
        T.expectSentence(T.refusal(png, file: "logo.png"), file: "logo.png", saying: ["binary data"])
        // Latin-1 text without any NUL is not UTF-8 either.
        T.expectSentence(T.refusal(Data([0x6E, 0x61, 0x6D, 0x65, 0x3A, 0x20, 0xE9, 0x74, 0xE9]), file: "latin1.yaml"),
                         file: "latin1.yaml", saying: ["not UTF-8"])
    }

    @Test("an empty file, and one of only comments, are refused as empty")
    func empty() {
        #expect(T.refusal(Data(), file: "empty.yaml") == .empty(file: "empty.yaml"))
        #expect(Self.refusal("  \n# nothing but a comment\n\n", file: "blank.yaml") == .empty(file: "blank.yaml"))
        T.expectSentence(T.refusal(Data(), file: "empty.yaml"), file: "empty.yaml", saying: ["is empty"])
    }

    @Test("JSON that is not a library is refused as such")
    func jsonNotALibrary() throws {
        T.expectSentence(try T.refusal(fixture: "not-a-library.json"), file: "not-a-library.json",
                         saying: ["is not a CISO Assistant library", "neither urn nor objects"])
        T.expectSentence(Self.refusal("[1, 2, 3]", file: "list.json"), file: "list.json",
                         saying: ["its top level is a list, not a mapping"])
        T.expectSentence(Self.refusal("just some words", file: "words.yaml"), file: "words.yaml",
                         saying: ["its top level is the text \"just some words\""])
    }

    @Test("a file cut short is refused: inside a quoted string as truncated, between lines by what is missing")
    func truncated() throws {
        let text = try Self.sample()
        let quote = try #require(text.range(of: "annotation: \"Example"))
        let cut = String(text[..<quote.upperBound])
        T.expectSentence(Self.refusal(cut, file: "cut.yaml"), file: "cut.yaml", saying: ["cut short"])

        let flow = try #require(String(data: try T.fixture("framework-sample-reformatted.yaml"), encoding: .utf8))
        let flowCut = String(flow.prefix(flow.count / 2))
        T.expectSentence(Self.refusal(flowCut, file: "flow-cut.yaml"), file: "flow-cut.yaml", saying: ["cut short"])

        // Cut after a node's urn line: valid YAML, but the node lacks what every node has.
        let lineCut = try #require(text.range(of: "- urn: urn:fieldbook:risk:req_node:sample-ai-controls:data\n"))
        let error = Self.refusal(String(text[..<lineCut.upperBound]), file: "line-cut.yaml")
        T.expectSentence(error, file: "line-cut.yaml", saying: ["node urn:fieldbook:risk:req_node:sample-ai-controls:data has no assessable"])
    }

    @Test("several YAML documents in one file are refused")
    func severalDocuments() {
        T.expectSentence(Self.refusal("urn: urn:a:b\n---\nurn: urn:c:d\n"), file: "library.yaml", saying: ["several YAML documents"])
    }

    @Test("a key twice in one mapping is refused")
    func duplicateKey() throws {
        let text = try Self.sample().replacingOccurrences(of: "version: 3\n", with: "version: 3\nversion: 4\n")
        T.expectSentence(Self.refusal(text), file: "library.yaml", saying: ["\"version\" appears twice"])
    }

    // MARK: - Hostile files

    @Test("a 100 MB file is refused by its size without being read")
    func hundredMegabytes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fieldbook-library-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("huge.yaml")
        #expect(FileManager.default.createFile(atPath: url.path, contents: Data("urn: urn:x:y\n".utf8)))
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 100_000_000)   // sparse: nothing is written, nothing need be read
        try handle.close()

        let started = Date()
        var error: LibraryError?
        do { _ = try LibraryReader.read(contentsOf: url) } catch let refusal { error = refusal }
        #expect(Date().timeIntervalSince(started) < 1, "refused before reading 100 MB")
        #expect(error == .tooLarge(file: "huge.yaml", bytes: 100_000_000, limit: 20 * 1_048_576))
        T.expectSentence(error, file: "huge.yaml", saying: ["is 95 MiB, larger than the 20 MiB a library may be"])
        // The same bytes handed over in memory are refused before parsing.
        let bytes = Data(count: 21 * 1_048_576)
        #expect(T.refusal(bytes, file: "huge.yaml") == .tooLarge(file: "huge.yaml", bytes: bytes.count, limit: 20 * 1_048_576))
    }

    @Test("a YAML bomb (billion laughs) is refused at its first anchor, at once")
    func yamlBomb() throws {
        let started = Date()
        let error = try T.refusal(fixture: "bad-bomb.yaml")
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(error == .aliases(file: "bad-bomb.yaml", line: 2))
        T.expectSentence(error, file: "bad-bomb.yaml", saying: ["anchors or aliases (line 2)"])
        // Any alias, however harmless, is refused the same way.
        let text = try Self.sample().replacingOccurrences(of: "name: Sample AI controls\ndescription",
                                                          with: "name: &title Sample AI controls\ndescription")
        #expect(Self.refusal(text) == .aliases(file: "library.yaml", line: 5))
    }

    @Test("deep nesting is refused, by our cap and by libyaml's, without exhausting the stack")
    func deepNesting() {
        let flow = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        T.expectSentence(Self.refusal("urn: urn:a:b\nobjects: " + flow), file: "library.yaml", saying: ["nests deeper than 64 levels"])
        let abyss = String(repeating: "[", count: 200_000)
        T.expectSentence(Self.refusal(abyss, file: "abyss.yaml"), file: "abyss.yaml", saying: ["nests deeper than 64 levels"])
        let block = (0..<500).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " end\n"
        T.expectSentence(Self.refusal(block, file: "block.yaml"), file: "block.yaml", saying: ["nests deeper than 64 levels"])
        let dashes = String(repeating: "- ", count: 100_000) + "x\n"
        T.expectSentence(Self.refusal(dashes, file: "dashes.yaml"), file: "dashes.yaml", saying: ["nests deeper than 64 levels"])
    }

    @Test("more YAML values than the cap are refused")
    func nodeCount() throws {
        let error = T.refusal(try T.fixture("framework-sample.yaml"), file: "framework-sample.yaml",
                              limits: .init(maxNodes: 100))
        #expect(error == .tooManyNodes(file: "framework-sample.yaml", limit: 100))
        T.expectSentence(error, file: "framework-sample.yaml", saying: ["more than 100 YAML values"])
    }

    @Test("a flat list of 10 million values is refused from its bytes, before Yams composes it")
    func flatList() {
        let flat = Data(("[" + String(repeating: "a,", count: 5 * 1_048_576) + "a]").utf8)
        let started = Date()
        #expect(T.refusal(flat, file: "flat.yaml") == .tooManyNodes(file: "flat.yaml", limit: 1_000_000))
        #expect(Date().timeIntervalSince(started) < 5, "no 3 GB tree was built")
        let dashes = Data(String(repeating: "- a\n", count: 1_100_000).utf8)
        #expect(T.refusal(dashes, file: "dashes.yaml") == .tooManyNodes(file: "dashes.yaml", limit: 1_000_000))
    }

    @Test("the estimate from the bytes never counts fewer values than the tree holds")
    func estimateIsAnUpperBound() throws {
        let files = ["framework-sample.yaml", "framework-sample-reformatted.yaml", "mapping-plural.yaml", "mapping-singular.yaml"]
        var texts = try files.map { try T.fixture($0) }
        texts += ["{a: b, c: [d, e, {f: g}], h: }", "- - - x\n- y:\n    - z\n", "k: v", "? a\n: b\n", "[a,b,[c,d],{e: f}]"].map { Data($0.utf8) }
        for data in texts {
            let (_, values) = try LibraryReader.compose(data, file: "x.yaml", limits: .standard)
            let estimate = LibraryReader.estimatedValues(data[...], stopAbove: .max)
            #expect(estimate >= values, "\(String(decoding: data.prefix(40), as: UTF8.self)): \(estimate) < \(values)")
            #expect(estimate <= values * 4, "a loose bound refuses real libraries: \(estimate) for \(values)")
        }
    }

    // MARK: - Libraries that are wrong

    @Test("a field of the wrong type is named with its place")
    func wrongType() throws {
        let error = try T.refusal(fixture: "bad-wrong-type.yaml")
        T.expectSentence(error, file: "bad-wrong-type.yaml", saying: ["mapping 2's relationship is a list, not text (line 18)"])
        let words = try Self.sample().replacingOccurrences(of: "version: 3", with: "version: three")
        T.expectSentence(Self.refusal(words), file: "library.yaml", saying: ["the library's version is the text \"three\", not a whole number"])
        let quotedBool = try Self.sample().replacingOccurrences(of: "assessable: false\n      depth: 1\n      ref_id: GOV\n",
                                                                with: "assessable: 'false'\n      depth: 1\n      ref_id: GOV\n")
        T.expectSentence(Self.refusal(quotedBool), file: "library.yaml",
                         saying: ["node urn:fieldbook:risk:req_node:sample-ai-controls:gov's assessable is the text \"false\", not true or false"])
        let mappingName = try Self.sample().replacingOccurrences(of: "    name: Sample AI controls\n", with: "    name: {en: Sample}\n")
        T.expectSentence(Self.refusal(mappingName), file: "library.yaml", saying: ["the framework's name is a mapping, not text"])
    }

    @Test("a required field that is missing is named")
    func missingField() throws {
        let noVersion = try Self.sample().replacingOccurrences(of: "version: 3\n", with: "")
        T.expectSentence(Self.refusal(noVersion), file: "library.yaml", saying: ["the library has no version"])
        let mapping = try #require(String(data: try T.fixture("mapping-singular.yaml"), encoding: .utf8))
        let noTarget = mapping.replacingOccurrences(of: "    target_framework_urn: urn:fieldbook:risk:framework:sample-ai-controls\n", with: "")
        T.expectSentence(Self.refusal(noTarget), file: "library.yaml", saying: ["the mapping set has no target_framework_urn"])
    }

    @Test("parent_urn cycles are refused naming the nodes")
    func cycle() throws {
        let error = try T.refusal(fixture: "bad-cycle.yaml")
        #expect(error == .parentCycle(file: "bad-cycle.yaml", urns: ["urn:fieldbook:risk:req_node:t:a", "urn:fieldbook:risk:req_node:t:c",
                                                                      "urn:fieldbook:risk:req_node:t:b"]))
        T.expectSentence(error, file: "bad-cycle.yaml", saying: ["form a cycle", "req_node:t:a -> "])
        let selfParent = try Self.sample().replacingOccurrences(of: "parent_urn: urn:fieldbook:risk:req_node:sample-ai-controls:data\n",
                                                                with: "parent_urn: urn:fieldbook:risk:req_node:sample-ai-controls:data.1.10\n")
        #expect(Self.refusal(selfParent) == .parentCycle(file: "library.yaml", urns: ["urn:fieldbook:risk:req_node:sample-ai-controls:data.1.10"]))
    }

    @Test("a node URN defined twice is refused")
    func duplicateURN() throws {
        T.expectSentence(try T.refusal(fixture: "bad-duplicate.yaml"), file: "bad-duplicate.yaml",
                         saying: ["defines urn:fieldbook:risk:req_node:t:a twice"])
        // URNs compare lower-cased, as CISO Assistant stores them.
        let capitals = try Self.sample().replacingOccurrences(of: "- urn: urn:fieldbook:risk:req_node:sample-ai-controls:node7",
                                                              with: "- urn: urn:fieldbook:risk:req_node:sample-ai-controls:GOV.1.1")
        #expect(Self.refusal(capitals) == .duplicateURN(file: "library.yaml", urn: "urn:fieldbook:risk:req_node:sample-ai-controls:gov.1.1", line: nil))
        let plural = try #require(String(data: try T.fixture("mapping-plural.yaml"), encoding: .utf8))
        let twice = plural.replacingOccurrences(of: "req_mapping_set:sample-policy-to-sample-ai-controls", with: "req_mapping_set:sample-ai-controls-to-sample-policy")
        T.expectSentence(Self.refusal(twice), file: "library.yaml", saying: ["defines urn:fieldbook:risk:req_mapping_set:sample-ai-controls-to-sample-policy twice"])
    }

    @Test("a parent_urn the file does not define is refused")
    func missingParent() throws {
        T.expectSentence(try T.refusal(fixture: "bad-missing-parent.yaml"), file: "bad-missing-parent.yaml",
                         saying: ["node urn:fieldbook:risk:req_node:t:a.5.2 names parent urn:fieldbook:risk:req_node:t:a.5 that the file does not define"])
    }

    @Test("a stated depth that contradicts the parent chain is refused")
    func depthMismatch() throws {
        let text = try Self.sample().replacingOccurrences(
            of: "depth: 3\n      parent_urn: urn:fieldbook:risk:req_node:sample-ai-controls:gov.1\n      description: Accountability",
            with: "depth: 2\n      parent_urn: urn:fieldbook:risk:req_node:sample-ai-controls:gov.1\n      description: Accountability")
        #expect(Self.refusal(text) == .depthMismatch(file: "library.yaml", node: "urn:fieldbook:risk:req_node:sample-ai-controls:node7",
                                                     stated: 2, computed: 3))
    }

    @Test("an unknown relationship is refused listing the known ones")
    func unknownRelationship() throws {
        T.expectSentence(try T.refusal(fixture: "bad-relationship.yaml"), file: "bad-relationship.yaml",
                         saying: ["mapping 1's relationship \"roughly_equal\" is not one of equal, subset, superset, intersect, not_related"])
    }

    @Test("a URN without the urn: prefix, or with spaces, is refused")
    func invalidURN() throws {
        let text = try Self.sample().replacingOccurrences(of: "urn: urn:fieldbook:risk:framework:sample-ai-controls",
                                                          with: "urn: fieldbook framework")
        T.expectSentence(Self.refusal(text), file: "library.yaml", saying: ["the framework's urn \"fieldbook framework\" is not a URN"])
    }

    @Test("both spellings of the mapping sets, several frameworks, or no content are refused")
    func shapeOfObjects() throws {
        let singular = try #require(String(data: try T.fixture("mapping-singular.yaml"), encoding: .utf8))
        let both = singular + "  requirement_mapping_sets: []\n"
        T.expectSentence(Self.refusal(both), file: "library.yaml", saying: ["both objects.requirement_mapping_set and objects.requirement_mapping_sets"])
        let nothing = "urn: urn:x:risk:library:controls\nref_id: c\nname: Controls only\nversion: 1\nobjects:\n  reference_controls:\n  - urn: urn:x:risk:reference_control:c:1\n"
        T.expectSentence(Self.refusal(nothing), file: "library.yaml", saying: ["defines neither a framework nor a requirement mapping set"])
        let sample = try Self.sample()
        let framework = try #require(sample.range(of: "  framework:\n"))
        let body = String(sample[framework.upperBound...]).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
        let listed = String(sample[..<framework.lowerBound]) + "  frameworks:\n  -\n" + body
        let one = try LibraryReader.read(Data(listed.utf8), file: "listed.yaml")
        #expect(one == (try T.read("framework-sample.yaml")), "a frameworks list of one reads like framework")
        let two = String(sample[..<framework.lowerBound]) + "  frameworks:\n  -\n" + body + "  -\n" + body
        T.expectSentence(Self.refusal(two), file: "library.yaml", saying: ["defines 2 frameworks"])
    }
}

import Foundation
import Testing

/// `fieldbook catalog ...` and `fieldbook crosswalk` driven through the real binary.
struct CatalogCommandTests {
    let fieldbook = FieldbookProcess()

    @Test("catalog show prints the same document for every form of an id")
    func showForms() throws {
        let outputs = try ["GV-1.1", "GOVERN-1.1", "nist-ai-rmf:GOVERN-1.1", "govern 1.1"].map {
            try fieldbook.run(["catalog", "show", $0, "--json"])
        }
        for outcome in outputs { #expect(outcome.status == 0) }
        #expect(Set(outputs.map(\.stdout)).count == 1)
        let document = try outputs[0].json
        #expect(document["id"] as? String == "nist-ai-rmf:GOVERN-1.1")
        #expect((document["text"] as? String)?.contains("Legal and regulatory requirements") == true)
        #expect((document["crosswalk"] as? [[String: Any]])?.contains { $0["id"] as? String == "iso42001:4.1" } == true)
    }

    @Test("an unknown id exits 2 naming the id and suggesting real ones")
    func unknownID() throws {
        let outcome = try fieldbook.run(["catalog", "show", "XX-9.9"])
        #expect(outcome.status == 2)
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr.contains("XX-9.9"))
        #expect(outcome.stderr.contains("did you mean"))
        #expect(outcome.stderr.split(separator: "\n").count == 1)
    }

    @Test("an ambiguous id exits 1 and lists the candidates")
    func ambiguousID() throws {
        let outcome = try fieldbook.run(["catalog", "show", "M-1.1", "--json"])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr.contains("nist-ai-rmf:MAP-1.1"))
        #expect(outcome.stderr.contains("nist-ai-rmf:MANAGE-1.1"))
    }

    @Test("crosswalk A.6.2.4 lists AI RMF subcategories with relationship and source")
    func crosswalkFromISO() throws {
        let document = try fieldbook.run(["crosswalk", "A.6.2.4", "--json"]).json
        let mappings = try #require(document["mappings"] as? [[String: Any]])
        #expect(mappings.count == 12)
        #expect(mappings.allSatisfy { ($0["id"] as? String)?.hasPrefix("nist-ai-rmf:") == true })
        #expect(mappings.allSatisfy { $0["relationship"] as? String == "related" && $0["source"] != nil })
        let source = try #require(document["crosswalk"] as? [String: Any])
        #expect((source["url"] as? String)?.contains("airc.nist.gov") == true)
        #expect((source["normalization"] as? [String])?.isEmpty == false)
    }

    @Test("the crosswalk's anomaly notes are visible in --json")
    func anomalyNote() throws {
        let document = try fieldbook.run(["crosswalk", "GOVERN-3.2", "--json"]).json
        let mappings = try #require(document["mappings"] as? [[String: Any]])
        let row = try #require(mappings.first { $0["id"] as? String == "iso42001:A.3.2" })
        #expect((row["note"] as? String)?.contains("Management review inputs") == true)
        #expect(row["published_title"] as? String == "Management review inputs")
    }

    @Test("every row of the shared crosswalk is answered from both ends by the binary")
    func everyRowBothWays() throws {
        let library = try SharedCrosswalk.rows()
        var answers: [String: Set<String>] = [:]
        for id in Set(library.flatMap { [$0.source, $0.target] }) {
            let mappings = try fieldbook.run(["crosswalk", id, "--json"]).json["mappings"] as? [[String: Any]] ?? []
            answers[id] = Set(mappings.compactMap { $0["id"] as? String })
        }
        for row in library {
            #expect(answers[row.source]?.contains(row.target) == true, "\(row.source) -> \(row.target)")
            #expect(answers[row.target]?.contains(row.source) == true, "\(row.target) -> \(row.source)")
        }
    }

    @Test("catalog list filters by function, clause and Annex A objective")
    func listFilters() throws {
        func ids(_ args: [String]) throws -> [String] {
            let document = try fieldbook.run(["catalog", "list"] + args + ["--json"]).json
            return (document["requirements"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        }
        #expect(try ids(["--framework", "nist-ai-rmf", "--assessable"]).count == 72)
        #expect(try ids(["--under", "GOVERN", "--assessable"]).count == 19)
        #expect(try ids(["--under", "A.6"]).count == 11)
        #expect(try ids(["--under", "9"]).allSatisfy { $0.hasPrefix("iso42001:9.") })
        let mismatch = try fieldbook.run(["catalog", "list", "--framework", "iso42001", "--under", "GOVERN"])
        #expect(mismatch.status == 1)
        #expect(try fieldbook.run(["catalog", "list"]).status == 1)
        #expect(try fieldbook.run(["catalog", "list", "--framework", "cobit"]).status == 1)
    }

    @Test("catalog search ranks id and title matches first")
    func search() throws {
        let document = try fieldbook.run(["catalog", "search", "impact", "assessment", "--json"]).json
        let results = try #require(document["results"] as? [[String: Any]])
        let top = results.prefix(4).compactMap { ($0["requirement"] as? [String: Any])?["id"] as? String }
        #expect(top.contains("iso42001:6.1.4"))
        let none = try fieldbook.run(["catalog", "search", "zzzzqqq", "--json"]).json
        #expect((none["results"] as? [Any])?.isEmpty == true)
    }

    @Test("catalog frameworks reports both catalogs and the crosswalk")
    func frameworks() throws {
        let document = try fieldbook.run(["catalog", "frameworks", "--json"]).json
        let frameworks = try #require(document["frameworks"] as? [[String: Any]])
        #expect(frameworks.compactMap { $0["id"] as? String } == ["nist-ai-rmf", "iso42001"])
        #expect(((document["crosswalk"] as? [String: Any])?["rows"] as? Int) == 280)
    }

    @Test("--help lists every command group")
    func help() throws {
        let outcome = try fieldbook.run(["--help"])
        #expect(outcome.status == 0)
        for command in ["catalog", "crosswalk"] { #expect(outcome.stdout.contains(command)) }
    }
}

/// The crosswalk rows straight from the catalog file, independent of the product's loader.
enum SharedCrosswalk {
    struct Row { let source: String; let target: String }

    static func rows() throws -> [Row] {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/FieldbookCatalogs/Resources/catalogs/crosswalk-nist-ai-rmf-iso42001.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any]
        let mappings = try #require(object?["mappings"] as? [[String: Any]])
        return mappings.map { Row(source: $0["source_id"] as! String, target: $0["target_id"] as! String) }
    }
}

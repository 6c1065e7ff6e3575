import Foundation
import Testing

/// `fieldbook crosswalk --export oscal-mapping` (issue 19): the bundled AI RMF <-> ISO/IEC 42001
/// crosswalk as an OSCAL 1.2 mapping collection, read back by compliance-trestle and checked
/// row by row against the crosswalk file, which this test reads itself.
@Suite struct OSCALMappingTests {
    static let catalogs = ReportCommandTests.root.appendingPathComponent("Sources/FieldbookCatalogs/Resources/catalogs")

    /// Loads the file with trestle's MappingCollection model and prints what trestle read, as JSON.
    /// Exit 3: trestle cannot be imported.
    static let trestleScript = """
        import json, pathlib, sys
        try:
            import trestle
            from trestle.oscal.mapping import MappingCollection
        except ImportError as error:
            print(f"cannot import compliance-trestle ({error})")
            sys.exit(3)
        document = MappingCollection.oscal_read(pathlib.Path(sys.argv[1]))
        if document is None:
            print("trestle read nothing")
            sys.exit(1)
        mappings = document.mappings if isinstance(document.mappings, list) else [document.mappings]
        def plain(value):
            while hasattr(value, "root"):
                value = value.root
            return None if value is None else str(value)
        print(json.dumps({
            "trestle": trestle.__version__,
            "uuid": str(document.uuid),
            "oscal-version": plain(document.metadata.oscal_version),
            "method": document.provenance.method,
            "matching-rationale": document.provenance.matching_rationale,
            "resources": [str(r.uuid) for r in (document.back_matter.resources or [])],
            "mappings": [{
                "source-resource": m.source_resource.href,
                "target-resource": m.target_resource.href,
                "maps": [{
                    "relationship": x.relationship,
                    "ns": plain(x.ns),
                    "sources": [s.id_ref for s in x.sources],
                    "targets": [t.id_ref for t in x.targets],
                } for x in m.maps],
            } for m in mappings],
        }))
        """

    /// How the crosswalk file's relationship (read from the AI RMF end: `inverse_relationship`)
    /// must appear in OSCAL, as `OSCALMappingCollection` documents it: set-theory kinds in OSCAL's
    /// vocabulary, the unqualified `related` kept in Fieldbook's namespace.
    static let translation: [String: (relationship: String, ns: String?)] = [
        "equal": ("equal-to", nil), "subset": ("subset-of", nil), "superset": ("superset-of", nil),
        "intersect": ("intersects-with", nil), "related": ("related", "urn:fieldbook:oscal"),
    ]

    @Test("trestle loads the mapping collection; one map per crosswalk row, ids resolve, relationships as documented")
    func trestleAndRows() throws {
        let fieldbook = try CLIWorkspace(initialize: false)
        let file = fieldbook.folder.appendingPathComponent("crosswalk.oscal.json")
        let outcome = try fieldbook.run("crosswalk", "--export", "oscal-mapping", "-o", file.path)
        try #require(outcome.status == 0, "\(outcome.stderr)")

        let (status, output) = try ReportCommandTests.python(Self.trestleScript, [file.path])
        if status == 3 {
            Issue.record("compliance-trestle is not installed; run Scripts/install-deps.sh (\(output))")
        }
        try #require(status == 0, "compliance-trestle refused the mapping collection: \(output)")
        let line = output.split(separator: "\n").last.map(String.init) ?? ""
        let trestle = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "trestle printed: \(output)")
        #expect(trestle["oscal-version"] as? String == "1.2.1")
        #expect(trestle["method"] as? String == "human" && trestle["matching-rationale"] as? String == "semantic")

        // The crosswalk and both catalogs, read from the bundled files, not through Fieldbook.
        let crosswalk = try Self.json("crosswalk-nist-ai-rmf-iso42001.json")
        let rows = try #require(crosswalk["mappings"] as? [[String: Any]])
        let nist = try Self.json("nist-ai-rmf-1.0.json")
        let iso = try Self.json("iso42001-2023.json")
        let subcategories = Set(((nist["subcategories"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }.map { "nist-ai-rmf_\($0)" })
        let isoAssessable = Set((((iso["clauses"] as? [[String: Any]]) ?? []).filter { $0["assessable"] as? Bool == true }.compactMap { $0["id"] as? String }
            + ((iso["annex_a_controls"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }).map { "iso42001_\($0)" })
        #expect(rows.count > 200 && subcategories.count == 72 && !isoAssessable.isEmpty)

        // What trestle read: one mapping whose maps are the rows, in order.
        let trestleMappings = try #require(trestle["mappings"] as? [[String: Any]])
        try #require(trestleMappings.count == 1)
        let trestleMaps = try #require(trestleMappings[0]["maps"] as? [[String: Any]])
        #expect(trestleMaps.count == rows.count, "trestle read \(trestleMaps.count) maps for \(rows.count) crosswalk rows")

        // The document itself.
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        let collection = try #require(root["mapping-collection"] as? [String: Any])
        let metadata = try #require(collection["metadata"] as? [String: Any])
        #expect(metadata["version"] as? String == crosswalk["version"] as? String, "the version is the crosswalk's own")
        #expect(metadata["last-modified"] as? String == "2023-12-01T00:00:00Z", "last-modified is the date the content names, not the time of export")
        let mapping = try #require((collection["mappings"] as? [[String: Any]])?.first)
        let maps = try #require(mapping["maps"] as? [[String: Any]])
        #expect(maps.count == rows.count)

        func token(_ qualified: String?) -> String { (qualified ?? "").replacingOccurrences(of: ":", with: "_") }
        func props(_ object: [String: Any]?) -> [String: String] {
            var found: [String: String] = [:]
            for prop in (object?["props"] as? [[String: Any]]) ?? [] {
                #expect(prop["ns"] as? String == "urn:fieldbook:oscal", "a Fieldbook prop outside Fieldbook's namespace: \(prop)")
                found[prop["name"] as? String ?? ""] = prop["value"] as? String
            }
            return found
        }
        for (index, (row, map)) in zip(rows, maps).enumerated() {
            let source = try #require((map["sources"] as? [[String: Any]])?.first)
            let target = try #require((map["targets"] as? [[String: Any]])?.first)
            #expect((map["sources"] as? [Any])?.count == 1 && (map["targets"] as? [Any])?.count == 1)
            let sourceID = source["id-ref"] as? String ?? "", targetID = target["id-ref"] as? String ?? ""
            #expect(sourceID == token(row["source_id"] as? String) && targetID == token(row["target_id"] as? String), "map \(index): \(sourceID) -> \(targetID)")
            #expect(source["type"] as? String == "control" && target["type"] as? String == "control")
            #expect(subcategories.contains(sourceID), "map \(index): source \(sourceID) is no AI RMF subcategory")
            #expect(isoAssessable.contains(targetID), "map \(index): target \(targetID) is no ISO/IEC 42001 clause or Annex A control")

            let inverse = row["inverse_relationship"] as? String ?? ""
            let expected = try #require(Self.translation[inverse], "map \(index): relationship \(inverse) has no documented translation")
            #expect(map["relationship"] as? String == expected.relationship && map["ns"] as? String == expected.ns,
                    "map \(index): \(inverse) written as \(map["relationship"] ?? "nothing") in \(map["ns"] ?? "OSCAL's namespace")")
            let read = trestleMaps[index]
            #expect(read["relationship"] as? String == expected.relationship && read["ns"] as? String == expected.ns)
            #expect(read["sources"] as? [String] == [sourceID] && read["targets"] as? [String] == [targetID])

            let targetProps = props(target)
            #expect(targetProps["published-ref"] == row["published_ref"] as? String && targetProps["published-title"] == row["published_title"] as? String)
            #expect(props(map)["origin"] == row["source"] as? String)
            #expect(map["remarks"] as? String == row["note"] as? String, "map \(index): the curator's note is the map's remarks")
        }

        // UUIDs: version 4 or 5, each used once.
        let uuids = maps.compactMap { $0["uuid"] as? String } + [collection["uuid"] as? String, mapping["uuid"] as? String].compactMap { $0 }
        #expect(uuids.count == maps.count + 2 && Set(uuids).count == uuids.count, "map UUIDs are not unique")
        let pattern = try NSRegularExpression(pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-[45][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        for uuid in uuids { #expect(pattern.firstMatch(in: uuid, range: NSRange(uuid.startIndex..., in: uuid)) != nil, "\(uuid) is not a v4/v5 UUID") }

        // Source and target resources resolve to back-matter resources that name the frameworks.
        let resources = ((collection["back-matter"] as? [String: Any])?["resources"] as? [[String: Any]]) ?? []
        func resource(_ href: Any?) -> [String: Any]? {
            guard let href = href as? String, href.hasPrefix("#") else { return nil }
            return resources.first { $0["uuid"] as? String == String(href.dropFirst()) }
        }
        let sourceResource = try #require(resource((mapping["source-resource"] as? [String: Any])?["href"]), "source-resource resolves to nothing")
        let targetResource = try #require(resource((mapping["target-resource"] as? [String: Any])?["href"]), "target-resource resolves to nothing")
        #expect(props(sourceResource)["framework"] == "nist-ai-rmf" && props(targetResource)["framework"] == "iso42001")
        #expect((mapping["source-resource"] as? [String: Any])?["type"] as? String == "catalog")
        #expect(trestleMappings[0]["source-resource"] as? String == (mapping["source-resource"] as? [String: Any])?["href"] as? String)
        #expect(Set(trestle["resources"] as? [String] ?? []) == Set(resources.compactMap { $0["uuid"] as? String }))
        for link in ((collection["provenance"] as? [String: Any])?["links"] as? [[String: Any]]) ?? [] {
            #expect(resource(link["href"]) != nil, "provenance link \(link) resolves to nothing")
        }

        // Gap summaries: exactly the assessable requirements no row names, on each side.
        func gap(_ key: String) -> Set<String> {
            let selections = ((mapping[key] as? [String: Any])?["unmapped-controls"] as? [[String: Any]]) ?? []
            return Set(selections.flatMap { ($0["with-ids"] as? [String]) ?? [] })
        }
        #expect(gap("source-gap-summary") == subcategories.subtracting(rows.map { token($0["source_id"] as? String) }))
        let isoGap = isoAssessable.subtracting(rows.map { token($0["target_id"] as? String) })
        #expect(gap("target-gap-summary") == isoGap && isoGap.contains("iso42001_4.2"), "the crosswalk names no row for clause 4.2")
    }

    @Test("two exports are byte-identical, and -o writes the bytes standard output gets")
    func deterministic() throws {
        let fieldbook = try CLIWorkspace(initialize: false)
        let first = try fieldbook.run("crosswalk", "--export", "oscal-mapping")
        let second = try fieldbook.run("crosswalk", "--export", "oscal-mapping")
        try #require(first.status == 0 && second.status == 0, "\(first.stderr) \(second.stderr)")
        #expect(!first.stdout.isEmpty && first.stdout == second.stdout, "two exports differ")
        #expect(first.stderr.isEmpty)
        let file = fieldbook.folder.appendingPathComponent("mapping.json")
        let written = try fieldbook.run("crosswalk", "--export", "oscal-mapping", "-o", file.path)
        #expect(written.status == 0 && written.stdout.isEmpty, "\(written.stderr)")
        #expect(written.stderr.contains("Wrote \(file.path)"))
        #expect(try Data(contentsOf: file) == Data(first.stdout.utf8), "-o wrote other bytes than standard output")
        // The same inside a workspace: the export depends on the bundled catalogs only.
        let workspace = try CLIWorkspace()
        #expect(try workspace.run("crosswalk", "--export", "oscal-mapping").stdout == first.stdout)
    }

    @Test("refused: an unknown export, --export with a requirement, -o without --export, nothing at all; crosswalk ID still works")
    func refusals() throws {
        let fieldbook = try CLIWorkspace(initialize: false)
        func refused(_ arguments: String..., mentioning text: String) throws {
            let outcome = try fieldbook.run(arguments)
            #expect(outcome.status == 1, "\(arguments): exit \(outcome.status), stderr \(outcome.stderr)")
            #expect(outcome.stdout.isEmpty, "\(arguments) printed \(outcome.stdout.prefix(100))")
            let lines = outcome.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(arguments): not one line: \(outcome.stderr)")
            #expect(outcome.stderr.contains(text), "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.hasPrefix("Error: ") && !outcome.stderr.contains("CLIError") && !outcome.stderr.contains("Usage"),
                    "\(arguments): not a plain sentence: \(outcome.stderr)")
        }
        try refused("crosswalk", "--export", "csv", mentioning: "oscal-mapping")
        try refused("crosswalk", "--export", "oscal", "-o", "x.json", mentioning: "oscal-mapping")
        try refused("crosswalk", "A.6.2.4", "--export", "oscal-mapping", mentioning: "--export")
        try refused("crosswalk", "GV-1.1", "-o", "x.json", mentioning: "--export")
        try refused("crosswalk", mentioning: "--export oscal-mapping")
        #expect(!FileManager.default.fileExists(atPath: fieldbook.folder.appendingPathComponent("x.json").path), "a refused export wrote a file")

        let show = try fieldbook.run("crosswalk", "A.6.2.4", "--json")
        #expect(show.status == 0, "\(show.stderr)")
        #expect(((try show.json)["mappings"] as? [[String: Any]])?.isEmpty == false)
        let text = try fieldbook.run("crosswalk", "GV-1.1")
        #expect(text.status == 0 && text.stdout.contains("iso42001:4.1"), "\(text.stderr)")
    }

    private static func json(_ name: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: catalogs.appendingPathComponent(name))) as? [String: Any], "\(name) is no JSON object")
    }
}

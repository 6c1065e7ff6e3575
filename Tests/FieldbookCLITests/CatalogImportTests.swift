import Foundation
import Testing

/// `fieldbook catalog import` through the real binary (issue 19): framework and mapping
/// libraries in CISO Assistant's format, assessed and reported like the bundled frameworks,
/// inferred through chains of mapping sets, and new versions pinned without losing a result.
@Suite(.serialized)
struct CatalogImportTests {
    static let fixtures = ReportCommandTests.root.appendingPathComponent("Fixtures/libraries")
    static let all = ["demo-scf.yaml", "demo-csf.yaml", "mapping-iso42001-demo-scf.yaml", "mapping-demo-scf-demo-csf.yaml"]
        .map { fixtures.appendingPathComponent($0).path }

    static func imported() throws -> CLIWorkspace {
        let ws = try CLIWorkspace(assessor: "Ana")
        let outcome = try ws.run(["catalog", "import"] + all)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        return ws
    }

    @Test("four libraries in one call: frameworks with their requirement counts, mapping sets with their rows, pinned once")
    func importLibraries() throws {
        let ws = try CLIWorkspace(assessor: "Ana")
        let report = try ws.run(["catalog", "import", "--json"] + Self.all).json
        let libraries = try #require(report["libraries"] as? [[String: Any]])
        #expect(libraries.map { $0["status"] as? String } == ["new", "new", "new", "new"])
        #expect(libraries[0]["framework"] as? String == "demo-scf" && libraries[0]["assessable"] as? Int == 3)
        #expect((libraries[0]["sha256"] as? String)?.count == 64)
        let sets = libraries.flatMap { $0["mapping_sets"] as? [[String: Any]] ?? [] }
        // 6.1 is assessed whole by the mapping and split by Fieldbook: one row per part.
        #expect(sets.map { $0["rows"] as? Int } == [5, 2])
        let frameworks = try #require(try ws.run("catalog", "frameworks", "--json").json["frameworks"] as? [[String: Any]])
        #expect(frameworks.compactMap { $0["id"] as? String } == ["nist-ai-rmf", "iso42001", "demo-csf", "demo-scf"])
        // The same files again pin nothing new.
        let again = try ws.run(["catalog", "import", "--json"] + Self.all).json
        #expect(again["changes"] as? Int == 0)
        #expect((again["libraries"] as? [[String: Any]])?.allSatisfy { $0["status"] as? String == "unchanged" } == true)
    }

    @Test("an imported framework is assessed by short or full id and reported; an unknown --framework names those held")
    func assessAndReport() throws {
        let ws = try Self.imported()
        #expect(try ws.run("assess", "ID.RA-07", "--result", "non-compliant").status == 0)
        #expect(try ws.run("assess", "demo-scf:node9", "--result", "compliant").status == 0)
        let gap = try ws.run("report", "gap", "--framework", "demo-scf", "--format", "json").json
        let rows = try #require(gap["rows"] as? [[String: Any]])
        #expect(rows.map { $0["requirement"] as? String } == ["demo-scf:CHG-03", "demo-scf:GOV-01", "demo-scf:node9"])
        #expect(rows.last?["status"] as? String == "compliant")
        let kpis = try #require((gap["kpis"] as? [String: Any])?["frameworks"] as? [[String: Any]])
        #expect(kpis.first { $0["framework"] as? String == "demo-csf" }?["assessed"] as? Int == 1)
        for format in ["md", "html", "csv", "docx"] {
            let output = ws.folder.appendingPathComponent("gap.\(format)").path
            let outcome = try ws.run("report", "gap", "--framework", "demo-csf", "--format", format, "-o", output)
            #expect(outcome.status == 0, "\(format): \(outcome.stderr)")
        }
        try ws.expectRefusal(["report", "gap", "--framework", "demo-xyz"], status: 1, mentioning: "nist-ai-rmf, iso42001, demo-csf, demo-scf")
    }

    @Test("a chain ISO/IEC 42001 A.5.2 -> demo-scf CHG-03 -> demo-csf ID.RA-07 infers, explained row by row, graded by its weakest row")
    func chainedInference() throws {
        let ws = try Self.imported()
        #expect(try ws.run("assess", "A.5.2", "--result", "compliant").status == 0)
        let rows = try #require(try ws.run("report", "gap", "--framework", "demo-csf", "--format", "json").json["rows"] as? [[String: Any]])
        let inferred = try #require(rows.first { $0["requirement"] as? String == "demo-csf:ID.RA-07" }?["inferred"] as? [String: Any])
        #expect(inferred["signal"] as? String == "partial")
        let path = try #require((inferred["paths"] as? [[String: Any]])?.first)
        #expect(path["source"] as? String == "iso42001:A.5.2" && path["coverage"] as? String == "partial")
        let hops = try #require(path["hops"] as? [[String: Any]])
        #expect(hops.map { "\($0["from"] as? String ?? "") \($0["relationship"] as? String ?? "") \($0["to"] as? String ?? "")" }
                == ["iso42001:A.5.2 equal demo-scf:CHG-03", "demo-scf:CHG-03 subset demo-csf:ID.RA-07"])
        // One row of full coverage: CHG-03 is likely covered.
        let scf = try #require(try ws.run("report", "gap", "--framework", "demo-scf", "--format", "json").json["rows"] as? [[String: Any]])
        #expect((scf.first { $0["requirement"] as? String == "demo-scf:CHG-03" }?["inferred"] as? [String: Any])?["signal"] as? String == "likely-covered")
        // A result recorded directly wins and is kept apart: no inference on an assessed row.
        #expect(try ws.run("assess", "ID.RA-07", "--result", "non-compliant").status == 0)
        let after = try #require(try ws.run("report", "gap", "--framework", "demo-csf", "--format", "json").json["rows"] as? [[String: Any]])
        #expect(after.first { $0["requirement"] as? String == "demo-csf:ID.RA-07" }?["inferred"] == nil)
        let show = try ws.run("show", "CHG-03").stdout
        #expect(show.contains("iso42001:A.5.2 equal demo-scf:CHG-03"))
        let crosswalk = try #require(try ws.run("crosswalk", "CHG-03", "--json").json["mapping_sets"] as? [[String: Any]])
        #expect(Set(crosswalk.compactMap { $0["id"] as? String }) == ["iso42001:A.5.2", "demo-csf:ID.RA-07"])
    }

    @Test("a new version pins in place of the old; results on requirements it dropped are kept and listed")
    func newVersion() throws {
        let ws = try Self.imported()
        #expect(try ws.run("assess", "GV.OC-01", "--result", "compliant").status == 0)
        let original = try String(contentsOf: Self.fixtures.appendingPathComponent("demo-csf.yaml"), encoding: .utf8)
        let dropped = original.replacingOccurrences(of: "version: 2", with: "version: 3")
            .components(separatedBy: "    - urn: urn:fieldbook:test:req_node:demo-csf:gv.oc-01")[0]
        let file = try ws.file("demo-csf-v3.yaml", dropped)
        let report = try ws.run("catalog", "import", file.path, "--json").json
        let library = try #require((report["libraries"] as? [[String: Any]])?.first)
        #expect(library["status"] as? String == "updated" && library["previous_version"] as? Int == 2 && library["version"] as? Int == 3)
        #expect(report["vanished_results"] as? [String] == ["demo-csf:GV.OC-01"])
        // The pinned mapping set's row to GV.OC-01 is left out, its other row kept.
        #expect(report["skipped_mapping_rows"] as? [String: Int] == ["urn:fieldbook:test:req_mapping_set:demo-scf-demo-csf": 1])
        #expect(try ws.run("crosswalk", "CHG-03", "--json").json["mapping_sets"].map { ($0 as? [Any])?.count } == 2)
        #expect(try ws.export().contains("result:demo-csf:GV.OC-01"))
        // Kept, but no longer progress on demo-csf; status names the pinned libraries.
        let status = try ws.run("status", "--json").json
        let progress = try #require((status["progress"] as? [[String: Any]])?.first { $0["framework"] as? String == "demo-csf" })
        #expect(progress["assessed"] as? Int == 0 && progress["requirements"] as? Int == 1)
        #expect((status["libraries"] as? [String: Any])?["pinned"] as? Int == 4)
        let rows = try #require(try ws.run("report", "gap", "--framework", "demo-csf", "--format", "json").json["rows"] as? [[String: Any]])
        #expect(rows.map { $0["requirement"] as? String } == ["demo-csf:ID.RA-07"])
    }

    @Test("bad libraries are refused in one sentence naming the file, and nothing changes")
    func refusals() throws {
        let ws = try CLIWorkspace(assessor: "Ana")
        let mapping = Self.fixtures.appendingPathComponent("mapping-demo-scf-demo-csf.yaml").path
        try ws.expectRefusal(["catalog", "import", mapping], status: 1, mentioning: "mapping-demo-scf-demo-csf.yaml: mapping set")
        try ws.expectRefusal(["catalog", "import", Self.all[0], mapping], status: 1, mentioning: "a framework neither imported with it nor held")
        let notYAML = try ws.file("notes.yaml", "{ this: [is not closed")
        try ws.expectRefusal(["catalog", "import", Self.all[0], notYAML.path], status: 1, mentioning: "notes.yaml")
        try ws.expectRefusal(["catalog", "import", "/nonexistent/lib.yaml"], status: 2, mentioning: "lib.yaml")
        try ws.expectRefusal(["catalog", "import", Self.all[0], Self.all[0]], status: 1, mentioning: "import one version of a library at a time")
        let bundled = try ws.file("iso.yaml", """
            urn: urn:intuitem:risk:library:iso42001-2023
            ref_id: iso42001-2023
            name: ISO 42001
            version: 1
            objects:
              framework:
                urn: urn:intuitem:risk:framework:iso42001-2023
                ref_id: iso42001-2023
                name: ISO 42001
                requirement_nodes:
                - urn: urn:intuitem:risk:req_node:iso42001-2023:4
                  assessable: true
                  depth: 1
                  ref_id: '4'
            """)
        try ws.expectRefusal(["catalog", "import", bundled.path], status: 1, mentioning: "which Fieldbook carries already")
        #expect(try ws.run("catalog", "frameworks", "--json").json["frameworks"].map { ($0 as? [Any])?.count } == 2)
    }

    @Test("the audit package holds every pinned library and a gap analysis per framework, and verifies")
    func auditPackage() throws {
        let ws = try Self.imported()
        #expect(try ws.run("assess", "ID.RA-07", "--result", "compliant").status == 0)
        let package = ws.folder.appendingPathComponent("audit.zip").path
        #expect(try ws.run("export", "package", "-o", package).status == 0)
        #expect(try ws.run("package", "verify", package).status == 0)
        let (status, names) = try ReportCommandTests.python("import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))", [package])
        #expect(status == 0)
        for name in ["libraries/demo-scf.json", "libraries/mapping-demo-scf-demo-csf.json", "reports/gap-demo-csf.html", "reports/gap-demo-scf.docx"] {
            #expect(names.contains(name), "\(name) missing from the package")
        }
    }

    @Test("OSCAL covers an imported framework: its results are findings on resolvable targets, and the document validates")
    func oscal() throws {
        let ws = try Self.imported()
        #expect(try ws.run("assess", "ID.RA-07", "--result", "non-compliant").status == 0)
        let file = ws.folder.appendingPathComponent("oscal.json")
        #expect(try ws.run("export", "oscal", "-o", file.path).status == 0)
        let (status, output) = try ReportCommandTests.validateOSCAL(file)
        #expect(status == 0, "\(output)")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("\"target-id\" : \"demo-csf_ID.RA-07\"") || text.contains("\"target-id\": \"demo-csf_ID.RA-07\""))
    }

    /// The ISO/IEC 42001 -> demo-scf mapping library with a first row naming CISO Assistant's
    /// ISO/IEC 42001 node `3.0`, which the bundled catalog does not carry.
    static func mappingNaming30(_ ws: CLIWorkspace, onlyThatRow: Bool = false) throws -> URL {
        let original = try String(contentsOf: fixtures.appendingPathComponent("mapping-iso42001-demo-scf.yaml"), encoding: .utf8)
        let row = """
                - source_requirement_urn: urn:intuitem:risk:req_node:iso42001-2023:3.0
                  target_requirement_urn: urn:fieldbook:test:req_node:demo-scf:chg-03
                  relationship: intersect

            """
        var parts = original.components(separatedBy: "    requirement_mappings:\n")
        if onlyThatRow { parts[1] = "" }
        return try ws.file(onlyThatRow ? "mapping-30-only.yaml" : "mapping-30.yaml", parts[0] + "    requirement_mappings:\n" + row + parts[1])
    }

    @Test("a mapping set naming a node the bundled catalog lacks imports its other rows and lists the one left out, with why")
    func unresolvedRowLeftOut() throws {
        let ws = try CLIWorkspace(assessor: "Ana")
        let mapping = try Self.mappingNaming30(ws)
        let report = try ws.run("catalog", "import", Self.all[0], mapping.path, "--json").json
        let set = "urn:fieldbook:test:req_mapping_set:iso42001-demo-scf"
        #expect(report["skipped_mapping_rows"] as? [String: Int] == [set: 1])
        let left = try #require(report["left_out_rows"] as? [[String: Any]])
        #expect(left.count == 1)
        #expect(left.first?["set"] as? String == set && left.first?["row"] as? Int == 1)
        #expect(left.first?["unresolved"] as? String == "urn:intuitem:risk:req_node:iso42001-2023:3.0")
        #expect(left.first?["reason"] as? String == "iso42001 does not define it")
        // The other rows are there: 5 as before (6.1 split into its parts).
        let sets = (report["libraries"] as? [[String: Any]])?.flatMap { $0["mapping_sets"] as? [[String: Any]] ?? [] }
        #expect(sets?.map { $0["rows"] as? Int } == [5])
        let crosswalk = try #require(try ws.run("crosswalk", "A.5.2", "--json").json["mapping_sets"] as? [[String: Any]])
        #expect(crosswalk.map { $0["id"] as? String } == ["demo-scf:CHG-03"])
        // People are told in one sentence, and the next command reads the pinned set the same way.
        let other = try CLIWorkspace(assessor: "Ana")
        let text = try other.run("catalog", "import", Self.all[0], mapping.path)
        #expect(text.status == 0 && text.stdout.contains("Left out 1 row of mapping set \(set)"), "\(text.stdout)")
        #expect(text.stdout.contains("row 1 names urn:intuitem:risk:req_node:iso42001-2023:3.0, and iso42001 does not define it"))
        #expect(try other.run("status").status == 0)
        // A set none of whose rows resolves maps nothing: refused, nothing pinned.
        let useless = try Self.mappingNaming30(ws, onlyThatRow: true)
        let fresh = try CLIWorkspace(assessor: "Ana")
        try fresh.expectRefusal(["catalog", "import", Self.all[0], useless.path], status: 1, mentioning: "no row of mapping set")
    }

    @Test("crosswalk lists a requirement related by a set and its reverse once, naming both sets")
    func bothDirectionsOnce() throws {
        let ws = try CLIWorkspace(assessor: "Ana")
        let both = try ws.file("both.yaml", """
            urn: urn:fieldbook:test:library:iso42001-demo-scf-both
            ref_id: iso42001-demo-scf-both
            name: ISO/IEC 42001 <-> demo secure controls
            version: 1
            objects:
              requirement_mapping_sets:
              - urn: urn:fieldbook:test:req_mapping_set:iso-to-scf
                ref_id: iso-to-scf
                name: ISO to SCF
                source_framework_urn: urn:intuitem:risk:framework:iso42001-2023
                target_framework_urn: urn:fieldbook:test:framework:demo-scf
                requirement_mappings:
                - source_requirement_urn: urn:intuitem:risk:req_node:iso42001-2023:a.5.2
                  target_requirement_urn: urn:fieldbook:test:req_node:demo-scf:chg-03
                  relationship: subset
              - urn: urn:fieldbook:test:req_mapping_set:scf-to-iso
                ref_id: scf-to-iso
                name: SCF to ISO
                source_framework_urn: urn:fieldbook:test:framework:demo-scf
                target_framework_urn: urn:intuitem:risk:framework:iso42001-2023
                requirement_mappings:
                - source_requirement_urn: urn:fieldbook:test:req_node:demo-scf:chg-03
                  target_requirement_urn: urn:intuitem:risk:req_node:iso42001-2023:a.5.2
                  relationship: superset
            """)
        #expect(try ws.run("catalog", "import", Self.all[0], both.path).status == 0)
        let lines = try ws.run("crosswalk", "A.5.2").stdout.components(separatedBy: "\n").filter { $0.contains("demo-scf:CHG-03") }
        #expect(lines.count == 1, "\(lines)")
        #expect(lines.first?.contains("superset to it") == true && lines.first?.contains("ISO to SCF and SCF to ISO") == true, "\(lines)")
        let rows = try #require(try ws.run("crosswalk", "A.5.2", "--json").json["mapping_sets"] as? [[String: Any]])
        #expect(rows.count == 1)
        #expect((rows.first?["sources"] as? [[String: Any]])?.map { $0["set"] as? String }
                == ["urn:fieldbook:test:req_mapping_set:iso-to-scf", "urn:fieldbook:test:req_mapping_set:scf-to-iso"])
    }
}

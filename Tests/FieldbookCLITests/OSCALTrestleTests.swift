import Foundation
import Testing

/// A second opinion on the OSCAL export (issue 18): compliance-trestle, an OSCAL tool Fieldbook
/// does not share code with, must load what the real binary writes for a rich engagement; NIST's
/// schema must accept it; and every reference in it must resolve.
@Suite struct OSCALTrestleTests {
    /// Loads the file with trestle's AssessmentResults model and prints what trestle read, as JSON.
    /// Exit 3: trestle cannot be imported.
    static let trestleScript = """
        import json, pathlib, sys
        try:
            import trestle
            from trestle.oscal.assessment_results import AssessmentResults
        except ImportError as error:
            print(f"cannot import compliance-trestle ({error})")
            sys.exit(3)
        document = AssessmentResults.oscal_read(pathlib.Path(sys.argv[1]))
        if document is None:
            print("trestle read nothing")
            sys.exit(1)
        result = document.results[0]
        print(json.dumps({
            "trestle": trestle.__version__,
            "version": document.metadata.version,
            "href": document.import_ap.href,
            "resources": [str(r.uuid) for r in (document.back_matter.resources if document.back_matter else None) or []],
            "parties": [str(p.uuid) for p in document.metadata.parties or []],
            "targets": [f.target.target_id for f in result.findings or []],
        }))
        """

    @Test("trestle loads the export of a rich engagement; targets, import-ap and parties resolve; the version follows the content")
    func richEngagement() throws {
        let ws = try CLIWorkspace(initialize: false)
        func ok(_ workspace: CLIWorkspace, _ arguments: String...) throws -> String {
            let outcome = try workspace.run(arguments)
            #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
            return outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        _ = try ok(ws, "init", "--engagement", "Acme Lending AI audit", "--assessor", "Ana", "--scope", "Credit decisioning")
        _ = try ok(ws, "system", "add", "Credit scorer", "--purpose", "Scores loan applications", "--stage", "deployed", "--risk-tier", "high")
        _ = try ok(ws, "system", "add", "Chat assistant", "--stage", "development", "--risk-tier", "low")
        _ = try ok(ws, "impact", "add", "Credit scorer", "--summary", "Disparate denial rates", "--affected", "Applicants",
                   "--severity", "4", "--likelihood", "3")
        _ = try ok(ws, "applicability", "set", "A.10.3", "--excluded", "--justification", "No suppliers")
        _ = try ok(ws, "applicability", "set", "A.6.2.4", "--included", "--justification", "Models are verified")
        for (requirement, result) in [("GV-1.1", "compliant"), ("GV-1.2", "non-compliant"), ("A.6.2.4", "partially-compliant"),
                                      ("A.5.2", "not-applicable"), ("9.2.1", "compliant")] {
            _ = try ok(ws, "assess", requirement, "--result", result, "--note", "Observed")
        }
        let file = try ws.file("vv-plan.pdf", "verification and validation plan")
        let evidence = try ok(ws, "evidence", "add", file.path, "--requirement", "A.6.2.4", "--description", "V&V plan", "--system", "Credit scorer")
        _ = try ok(ws, "impact", "add", "Credit scorer", "--summary", "Explanations reviewed", "--severity", "2",
                   "--evidence", String(evidence.split(separator: " ").first ?? ""))
        _ = try ok(ws, "risk", "add", "Biased scores", "--likelihood", "4", "--impact", "4", "--requirement", "GV-1.2", "--system", "Credit scorer")
        _ = try ok(ws, "finding", "add", "No V&V sign-off", "--requirement", "GV-1.2", "--requirement", "A.6.2.4",
                   "--severity", "major", "--owner", "Ops", "--due", "2026-03-01", "--system", "Credit scorer")
        let audit = try ok(ws, "finding", "add", "Audit programme incomplete", "--requirement", "9.2", "--severity", "minor", "--source", "internal-audit")
        _ = try ok(ws, "finding", "add", "Governance not established", "--requirement", "GV", "--severity", "major")
        // A second assessor, through a bundle, so the document has two person parties.
        let origin = ws.folder.appendingPathComponent("origin.fbbundle").path
        _ = try ok(ws, "bundle", "export", "-o", origin)
        let laptop = try CLIWorkspace(initialize: false)
        _ = try ok(laptop, "clone", origin, "--assessor", "Bo")
        _ = try ok(laptop, "assess", "GV-1.3", "--result", "compliant")
        let back = laptop.folder.appendingPathComponent("back.fbbundle").path
        _ = try ok(laptop, "bundle", "export", "-o", back)
        _ = try ok(ws, "bundle", "import", back)
        let forth = ws.folder.appendingPathComponent("forth.fbbundle").path
        _ = try ok(ws, "bundle", "export", "-o", forth)
        _ = try ok(laptop, "bundle", "import", forth)

        let (document, trestle) = try export(ws, "ar.json")
        // Converged replicas write the same document, version, UUIDs and times included (the times are the content's).
        let (replica, _) = try export(laptop, "ar.json")
        #expect(NSDictionary(dictionary: document).isEqual(to: replica), "converged replicas export different OSCAL")
        let metadata = try #require(document["metadata"] as? [String: Any])
        let result = try #require((document["results"] as? [[String: Any]])?.first)

        // Every finding's target is a reviewed control, the clause and the function included.
        let selection = try #require(((result["reviewed-controls"] as? [String: Any])?["control-selections"] as? [[String: Any]])?.first)
        let included = Set(((selection["include-controls"] as? [[String: Any]]) ?? []).compactMap { $0["control-id"] as? String })
        let excluded = Set(((selection["exclude-controls"] as? [[String: Any]]) ?? []).compactMap { $0["control-id"] as? String })
        #expect(excluded == ["iso42001_A.10.3", "iso42001_A.5.2"])
        let findings = try #require(result["findings"] as? [[String: Any]])
        let targets = findings.compactMap { $0["target"] as? [String: Any] }
        #expect(targets.count == findings.count)
        for target in targets {
            let id = target["target-id"] as? String ?? "none"
            #expect(included.contains(id), "finding target \(id) is not among include-controls")
        }
        #expect(Set(trestle["targets"] as? [String] ?? []) == Set(targets.compactMap { $0["target-id"] as? String }))

        // The clause and the function are carried, not satisfied while anything below them is not compliant.
        func target(_ id: String, in targets: [[String: Any]]) -> [String: Any]? { targets.first { $0["target-id"] as? String == id } }
        let clause = try #require(target("iso42001_9.2", in: targets))
        #expect((clause["status"] as? [String: Any])?["state"] as? String == "not-satisfied", "9.2.2 is not assessed")
        #expect(covers(clause) == ["iso42001_9.2.1", "iso42001_9.2.2"])
        let function = try #require(target("nist-ai-rmf_GOVERN", in: targets))
        #expect((function["status"] as? [String: Any])?["state"] as? String == "not-satisfied")
        let governList = try #require(try JSONSerialization.jsonObject(with: Data(try ok(ws, "catalog", "list", "--framework", "nist-ai-rmf",
                                                                                          "--under", "GOVERN", "--assessable", "--json").utf8)) as? [String: Any])
        let govern = ((governList["requirements"] as? [[String: Any]]) ?? []).compactMap { ($0["id"] as? String)?.replacingOccurrences(of: ":", with: "_") }
        #expect(!govern.isEmpty && covers(function) == govern)
        #expect(Set(targets.compactMap { $0["target-id"] as? String }).isSuperset(of: ["nist-ai-rmf_GOVERN-1.2", "iso42001_A.6.2.4"]))

        // import-ap names a back-matter resource that exists.
        let href = try #require((document["import-ap"] as? [String: Any])?["href"] as? String)
        let resources = ((document["back-matter"] as? [String: Any])?["resources"] as? [[String: Any]]) ?? []
        #expect(href.hasPrefix("#") && resources.contains { "#\($0["uuid"] as? String ?? "")" == href }, "import-ap \(href) resolves to no resource")
        #expect(trestle["href"] as? String == href && (trestle["resources"] as? [String])?.contains(String(href.dropFirst())) == true)

        // Parties: the client organization and each assessor; responsible parties name them and defined roles.
        let parties = try #require(metadata["parties"] as? [[String: Any]])
        let partyUUIDs = Set(parties.compactMap { $0["uuid"] as? String })
        #expect(parties.contains { $0["type"] as? String == "organization" && $0["name"] as? String == "Acme Lending AI audit" })
        #expect(Set(parties.filter { $0["type"] as? String == "person" }.compactMap { $0["name"] as? String }) == ["Ana", "Bo"])
        let roles = Set(((metadata["roles"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String })
        let responsible = try #require(metadata["responsible-parties"] as? [[String: Any]])
        #expect(responsible.contains { $0["role-id"] as? String == "assessor" && ($0["party-uuids"] as? [String])?.count == 2 })
        for entry in responsible {
            #expect(roles.contains(entry["role-id"] as? String ?? ""), "responsible party for an undefined role: \(entry)")
            let uuids = (entry["party-uuids"] as? [String]) ?? []
            #expect(!uuids.isEmpty && Set(uuids).isSubset(of: partyUUIDs), "responsible party names unknown parties: \(entry)")
        }
        #expect(Set(trestle["parties"] as? [String] ?? []) == partyUUIDs)

        // The version is the reports' content version, stable while nothing changes, new after one more assessment.
        let version = try #require(metadata["version"] as? String)
        let reported = try reportVersion(ws)
        #expect(version == reported && trestle["version"] as? String == version)
        let (again, _) = try export(ws, "again.json")
        #expect((again["metadata"] as? [String: Any])?["version"] as? String == version)
        #expect(Set((((again["metadata"] as? [String: Any])?["parties"] as? [[String: Any]]) ?? []).compactMap { $0["uuid"] as? String }) == partyUUIDs,
                "party UUIDs are stable")
        _ = try ok(ws, "assess", "9.2.2", "--result", "compliant")
        let (stillOpen, _) = try export(ws, "open.json")
        let openTargets = ((((stillOpen["results"] as? [[String: Any]])?.first)?["findings"] as? [[String: Any]]) ?? []).compactMap { $0["target"] as? [String: Any] }
        #expect((target("iso42001_9.2", in: openTargets)?["status"] as? [String: Any])?["state"] as? String == "not-satisfied",
                "the nonconformity against 9.2 is still open")
        _ = try ok(ws, "finding", "verify", audit, "--result", "effective")
        _ = try ok(ws, "finding", "update", audit, "--status", "closed")
        let (after, _) = try export(ws, "after.json")
        let newVersion = try #require((after["metadata"] as? [String: Any])?["version"] as? String)
        let reportedAfter = try reportVersion(ws)
        #expect(newVersion != version && newVersion == reportedAfter)
        let afterTargets = ((((after["results"] as? [[String: Any]])?.first)?["findings"] as? [[String: Any]]) ?? []).compactMap { $0["target"] as? [String: Any] }
        #expect((target("iso42001_9.2", in: afterTargets)?["status"] as? [String: Any])?["state"] as? String == "satisfied",
                "every requirement below 9.2 is now compliant and the nonconformity closed")
    }

    /// The `covers` properties of a target, in order; each must carry Fieldbook's namespace.
    private func covers(_ target: [String: Any]) -> [String] {
        let props = ((target["props"] as? [[String: Any]]) ?? []).filter { $0["name"] as? String == "covers" }
        #expect(props.allSatisfy { $0["ns"] as? String == "urn:fieldbook:oscal" })
        return props.compactMap { $0["value"] as? String }
    }

    /// `document.version` of a report's JSON.
    private func reportVersion(_ ws: CLIWorkspace) throws -> String? {
        let outcome = try ws.run("report", "gap", "--framework", "iso42001", "--format", "json")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        return (report?["document"] as? [String: Any])?["version"] as? String
    }

    /// Exports OSCAL through the binary, checks it against NIST's schema and trestle, and returns
    /// the `assessment-results` object and what trestle read.
    private func export(_ ws: CLIWorkspace, _ name: String) throws -> ([String: Any], [String: Any]) {
        let file = ws.folder.appendingPathComponent(name)
        let outcome = try ws.run("export", "oscal", "-o", file.path)
        try #require(outcome.status == 0, "\(outcome.stderr)")
        let (schemaStatus, schemaOutput) = try ReportCommandTests.validateOSCAL(file)
        #expect(schemaStatus == 0, "NIST schema: \(schemaOutput)")
        let (status, output) = try ReportCommandTests.python(Self.trestleScript, [file.path])
        if status == 3 {
            Issue.record("compliance-trestle is not installed; run Scripts/install-deps.sh (\(output))")
        }
        try #require(status == 0, "compliance-trestle refused the export: \(output)")
        let line = output.split(separator: "\n").last.map(String.init) ?? ""
        let trestle = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "trestle printed: \(output)")
        let document = try #require((try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])?["assessment-results"]
            as? [String: Any])
        return (document, trestle)
    }
}

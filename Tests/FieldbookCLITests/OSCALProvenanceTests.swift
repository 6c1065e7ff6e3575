import Crypto
import Foundation
import Testing

/// Where the OSCAL export's statements come from, read back from what the real binary wrote:
/// evidence files as hashed back-matter resources, risks characterized by who recorded them,
/// observations claiming only the methods the data supports, and times that are the content's.
@Suite struct OSCALProvenanceTests {
    @Test("each evidence file is a back-matter resource with its name, media type and SHA-256; observations point at it by #uuid")
    func evidenceResources() throws {
        let ws = try CLIWorkspace()
        let contents = "verification and validation plan"
        let file = try ws.file("vv plan.pdf", contents)
        try ws.ok("evidence", "add", file.path, "--requirement", "A.6.2.4", "--description", "V&V plan")
        try ws.ok("assess", "A.6.2.4", "--result", "compliant")
        let document = try OSCALDocument.export(ws)

        let resource = try #require(document.resources.first { $0["title"] as? String == "vv plan.pdf" })
        let uuid = try #require(resource["uuid"] as? String)
        let rlinks = resource["rlinks"] as? [[String: Any]] ?? []
        #expect(rlinks.count == 1)
        #expect(rlinks.first?["href"] as? String == "vv%20plan.pdf" && rlinks.first?["media-type"] as? String == "application/pdf")
        let sha = SHA256.hash(data: Data(contents.utf8)).map { String(format: "%02x", $0) }.joined()
        let hashes = rlinks.first?["hashes"] as? [[String: String]] ?? []
        #expect(hashes == [["algorithm": "SHA-256", "value": sha]])

        let observation = try #require(document.observation(titled: "vv plan.pdf"))
        #expect(OSCALDocument.evidenceHrefs(observation) == ["#\(uuid)"])
        #expect(!((observation["props"] as? [[String: Any]]) ?? []).contains { $0["name"] as? String == "sha256" }, "the hash is in the resource")
        let result = try #require(document.observation(titled: "Assessment of A.6.2.4"))
        #expect(OSCALDocument.evidenceHrefs(result) == ["#\(uuid)"], "the result points at the file it rests on")
        let resourceUUIDs = Set(document.resources.compactMap { $0["uuid"] as? String })
        for href in document.observations.flatMap(OSCALDocument.evidenceHrefs) {
            #expect(href.hasPrefix("#") && resourceUUIDs.contains(String(href.dropFirst())), "\(href) resolves to no resource")
        }
    }

    @Test("a risk's likelihood and impact are facets of a characterization by the assessor who recorded it; it relates its observations")
    func riskCharacterization() throws {
        let ws = try CLIWorkspace()
        let file = try ws.file("plan.txt", "plan")
        try ws.ok("evidence", "add", file.path, "--requirement", "A.6.2.4")
        try ws.ok("assess", "A.6.2.4", "--result", "partially-compliant")
        try ws.ok("risk", "add", "Biased scores", "--likelihood", "4", "--impact", "3", "--requirement", "A.6.2.4")
        let document = try OSCALDocument.export(ws)

        let risk = try #require(document.risks.first)
        #expect(risk["props"] == nil, "likelihood and impact are no longer Fieldbook props")
        let characterizations = risk["characterizations"] as? [[String: Any]] ?? []
        #expect(characterizations.count == 1)
        let ana = try #require((document.metadata["parties"] as? [[String: Any]])?.first { $0["name"] as? String == "Ana" }?["uuid"] as? String)
        let actors = (characterizations.first?["origin"] as? [String: Any])?["actors"] as? [[String: String]] ?? []
        #expect(actors == [["type": "party", "actor-uuid": ana, "role-id": "assessor"]])
        let facets = characterizations.first?["facets"] as? [[String: String]] ?? []
        #expect(Dictionary(uniqueKeysWithValues: facets.compactMap { facet in facet["name"].map { ($0, facet["value"] ?? "") } })
            == ["likelihood": "4", "impact": "3", "level": "high"])
        #expect(facets.allSatisfy { $0["system"] == "urn:fieldbook:oscal" })

        let result = try #require(document.observation(titled: "Assessment of A.6.2.4")?["uuid"] as? String)
        let evidence = try #require(document.observation(titled: "plan.txt")?["uuid"] as? String)
        #expect(OSCALDocument.related(risk) == [result, evidence])
    }

    @Test("observations claim EXAMINE only over evidence, UNKNOWN otherwise; an impact assessment keeps its evidence and is not 'historic'")
    func honestMethods() throws {
        let ws = try CLIWorkspace()
        let file = try ws.file("dpia.pdf", "impact assessment")
        let evidenceID = try #require(try ws.ok("evidence", "add", file.path, "--requirement", "A.6.2.4").split(separator: " ").first.map(String.init))
        try ws.ok("assess", "A.6.2.4", "--result", "compliant")
        try ws.ok("assess", "GV-1.1", "--result", "compliant")
        try ws.ok("system", "add", "Credit scorer")
        try ws.ok("impact", "add", "Credit scorer", "--summary", "Disparate denial rates", "--evidence", evidenceID)
        try ws.ok("impact", "add", "Credit scorer", "--summary", "Opaque explanations")
        let document = try OSCALDocument.export(ws)

        func methods(_ observation: [String: Any]?) -> [String]? { observation?["methods"] as? [String] }
        let govern = try #require(document.findings(targeting: "nist-ai-rmf_GOVERN-1.1").first.flatMap { OSCALDocument.related($0).first })
        #expect(methods(document.observation(uuid: govern)) == ["UNKNOWN"], "nothing records how GV-1.1 was judged")
        #expect(methods(document.observation(titled: "Assessment of A.6.2.4")) == ["EXAMINE"])
        #expect(methods(document.observation(titled: "dpia.pdf")) == ["EXAMINE"])
        let resource = try #require(document.resources.first { $0["title"] as? String == "dpia.pdf" }?["uuid"] as? String)
        let examined = try #require(document.observations.first { $0["description"] as? String == "Disparate denial rates" })
        #expect(methods(examined) == ["EXAMINE"] && OSCALDocument.evidenceHrefs(examined) == ["#\(resource)"])
        #expect(examined["types"] == nil && (examined["subjects"] as? [[String: Any]])?.count == 1)
        let unexamined = try #require(document.observations.first { $0["description"] as? String == "Opaque explanations" })
        #expect(methods(unexamined) == ["UNKNOWN"] && unexamined["relevant-evidence"] == nil)
        #expect(!document.observations.contains { methods($0)?.contains("INTERVIEW") == true }, "nobody recorded an interview")
        #expect(!document.observations.contains { ($0["types"] as? [String])?.contains("historic") == true })
    }

    @Test("two exports of one state at different times are byte-identical; last-modified and end are the newest change's time")
    func contentTimes() throws {
        let ws = try CLIWorkspace()
        try ws.ok("assess", "GV-1.1", "--result", "compliant")
        let before = Date()
        try ws.ok("assess", "A.6.2.4", "--result", "partially-compliant")
        let after = Date()
        let first = try OSCALDocument.export(ws, "first.json")
        Thread.sleep(forTimeInterval: 1.5)
        let second = try OSCALDocument.export(ws, "second.json")
        #expect(first.bytes == second.bytes, "the export's bytes follow the wall clock")

        let lastModified = try #require(first.metadata["last-modified"] as? String)
        #expect(first.result["end"] as? String == lastModified)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let stamp = try #require(formatter.date(from: lastModified), "\(lastModified)")
        #expect(stamp >= before.addingTimeInterval(-0.001) && stamp <= after, "\(lastModified) is not the time of the newest change")

        try ws.ok("assess", "GV-1.2", "--result", "non-compliant")
        let changed = try OSCALDocument.export(ws, "changed.json")
        #expect((changed.metadata["last-modified"] as? String ?? "") > lastModified)
        #expect(changed.metadata["version"] as? String != first.metadata["version"] as? String)
    }
}

import Foundation
import Testing

/// What the OSCAL export's findings state, read back from what the real binary wrote: never
/// satisfied next to an open nonconformity, nothing judged on an excluded control, the
/// Statement of Applicability's justifications, and how far each requirement is implemented.
@Suite struct OSCALStatementTests {
    @Test("an open major nonconformity on a compliant requirement: its finding and the result finding are not satisfied until it is closed")
    func openNonconformity() throws {
        let ws = try CLIWorkspace()
        try ws.ok("assess", "A.6.2.4", "--result", "compliant")
        let id = try ws.ok("finding", "add", "No V&V sign-off", "--requirement", "A.6.2.4", "--severity", "major", "--status", "open")
        let open = try OSCALDocument.export(ws)
        let targets = open.findings(targeting: "iso42001_A.6.2.4")
        #expect(targets.count == 2, "the result finding and the nonconformity's")
        #expect(targets.allSatisfy { OSCALDocument.state($0) == "not-satisfied" }, "satisfied next to an open nonconformity")
        let result = try #require(targets.first { $0["title"] as? String != "No V&V sign-off" })
        let why = (OSCALDocument.target(result)["status"] as? [String: Any])?["remarks"] as? String ?? ""
        #expect(why.contains("Assessed compliant") && why.contains("No V&V sign-off"), "\(why)")
        #expect(OSCALDocument.implementation(result) == "implemented", "the assessor's result stays what was recorded")

        try ws.ok("finding", "update", id, "--status", "in-progress")
        #expect(try OSCALDocument.export(ws, "progress.json").findings(targeting: "iso42001_A.6.2.4")
            .allSatisfy { OSCALDocument.state($0) == "not-satisfied" }, "in progress is not closed")
        try ws.ok("finding", "verify", id, "--result", "effective")
        try ws.ok("finding", "update", id, "--status", "closed")
        let closed = try OSCALDocument.export(ws, "closed.json").findings(targeting: "iso42001_A.6.2.4")
        #expect(closed.count == 2 && closed.allSatisfy { OSCALDocument.state($0) == "satisfied" }, "closed, and the requirement is compliant")
    }

    @Test("a result on a control the SoA excludes makes no finding; its observation stays, saying the control is excluded")
    func excludedControlResult() throws {
        let ws = try CLIWorkspace()
        try ws.ok("assess", "A.10.3", "--result", "compliant")
        try ws.ok("applicability", "set", "A.10.3", "--excluded", "--justification", "No suppliers")
        try ws.ok("assess", "A.6.2.4", "--result", "compliant")
        let document = try OSCALDocument.export(ws)
        #expect(document.excluded.contains("iso42001_A.10.3"))
        #expect(document.findings(targeting: "iso42001_A.10.3").isEmpty, "a finding on a control in exclude-controls")
        for finding in document.findings {
            let target = OSCALDocument.target(finding)["target-id"] as? String ?? ""
            #expect(!document.excluded.contains(target), "finding on excluded \(target)")
        }
        let observation = try #require(document.observation(titled: "Assessment of A.10.3"))
        let remarks = observation["remarks"] as? String ?? ""
        #expect(remarks.contains("Excluded by the Statement of Applicability: No suppliers.") && remarks.contains("makes no finding"), "\(remarks)")
        #expect(document.findings(targeting: "iso42001_A.6.2.4").count == 1)

        // A nonconformity raised against it makes it reviewed again: its finding, still no result finding.
        try ws.ok("finding", "add", "Suppliers exist after all", "--requirement", "A.10.3")
        let raised = try OSCALDocument.export(ws, "raised.json")
        #expect(raised.included.contains("iso42001_A.10.3") && !raised.excluded.contains("iso42001_A.10.3"))
        let onIt = raised.findings(targeting: "iso42001_A.10.3")
        #expect(onIt.count == 1 && onIt.first?["title"] as? String == "Suppliers exist after all")
        #expect(onIt.first.map(OSCALDocument.state) == "not-satisfied")
    }

    @Test("the SoA's inclusion and exclusion justifications are in the document: selection props and the included control's observation")
    func applicabilityJustifications() throws {
        let ws = try CLIWorkspace()
        try ws.ok("applicability", "set", "A.10.3", "--excluded", "--justification", "No suppliers")
        try ws.ok("applicability", "set", "A.6.2.4", "--included", "--justification", "Models are verified")
        try ws.ok("assess", "A.6.2.4", "--result", "partially-compliant")
        let document = try OSCALDocument.export(ws)
        let props = document.selection["props"] as? [[String: Any]] ?? []
        func decision(_ name: String, _ control: String) -> [String: Any]? {
            props.first { $0["name"] as? String == name && $0["value"] as? String == control }
        }
        let exclusion = try #require(decision("excluded-by-soa", "iso42001_A.10.3"), "\(props)")
        #expect(exclusion["remarks"] as? String == "No suppliers" && exclusion["ns"] as? String == "urn:fieldbook:oscal")
        let inclusion = try #require(decision("included-by-soa", "iso42001_A.6.2.4"), "\(props)")
        #expect(inclusion["remarks"] as? String == "Models are verified")
        #expect(props.count == 2, "only the two decisions recorded")
        let observation = try #require(document.observation(titled: "Assessment of A.6.2.4"))
        #expect((observation["remarks"] as? String)?.contains("Included in the Statement of Applicability: Models are verified.") == true)
    }

    @Test("partially compliant is not satisfied with implementation partial; compliant implemented; non-compliant planned only with a corrective action")
    func implementationStatus() throws {
        let ws = try CLIWorkspace()
        try ws.ok("assess", "A.6.2.4", "--result", "partially-compliant")
        try ws.ok("assess", "GV-1.1", "--result", "compliant")
        try ws.ok("assess", "GV-1.2", "--result", "non-compliant")
        try ws.ok("assess", "GV-1.3", "--result", "non-compliant")
        try ws.ok("finding", "add", "No risk tolerance", "--requirement", "GV-1.3", "--corrective-action", "Board sets a tolerance")
        let document = try OSCALDocument.export(ws)
        func resultFinding(_ id: String) throws -> [String: Any] {
            try #require(document.findings(targeting: id).first { ($0["title"] as? String)?.contains(": ") == true }, "no result finding on \(id)")
        }
        let partial = try resultFinding("iso42001_A.6.2.4")
        #expect(OSCALDocument.state(partial) == "not-satisfied" && OSCALDocument.implementation(partial) == "partial")
        let compliant = try resultFinding("nist-ai-rmf_GOVERN-1.1")
        #expect(OSCALDocument.state(compliant) == "satisfied" && OSCALDocument.implementation(compliant) == "implemented")
        let failing = try resultFinding("nist-ai-rmf_GOVERN-1.2")
        #expect(OSCALDocument.state(failing) == "not-satisfied")
        #expect(OSCALDocument.target(failing)["implementation-status"] == nil, "non-compliant with no plan claims no implementation state")
        let planned = try resultFinding("nist-ai-rmf_GOVERN-1.3")
        #expect(OSCALDocument.implementation(planned) == "planned")
        let plan = (OSCALDocument.target(planned)["implementation-status"] as? [String: Any])?["remarks"] as? String ?? ""
        #expect(plan.contains("Board sets a tolerance"), "\(plan)")
        #expect(!document.findings.contains { OSCALDocument.implementation($0) == "implemented" && OSCALDocument.state($0) == "not-satisfied"
            && (OSCALDocument.target($0)["status"] as? [String: Any])?["remarks"] == nil }, "implemented but not satisfied, unexplained")
    }
}

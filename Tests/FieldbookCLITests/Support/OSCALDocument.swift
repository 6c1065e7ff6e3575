import Foundation
import Testing

/// An OSCAL assessment-results document the real binary wrote, checked against NIST's schema
/// and read back, with the lookups the tests of what it states share.
struct OSCALDocument {
    let bytes: Data
    /// `assessment-results`.
    let root: [String: Any]

    /// Runs `fieldbook export oscal -o NAME` in the workspace and reads what it wrote.
    static func export(_ ws: CLIWorkspace, _ name: String = "ar.json", sourceLocation: SourceLocation = #_sourceLocation) throws -> OSCALDocument {
        let file = ws.folder.appendingPathComponent(name)
        let outcome = try ws.run("export", "oscal", "-o", file.path)
        try #require(outcome.status == 0, "\(outcome.stderr)", sourceLocation: sourceLocation)
        let (status, output) = try ReportCommandTests.validateOSCAL(file)
        #expect(status == 0, "NIST schema: \(output)", sourceLocation: sourceLocation)
        let bytes = try Data(contentsOf: file)
        let root = try #require((try JSONSerialization.jsonObject(with: bytes) as? [String: Any])?["assessment-results"] as? [String: Any])
        return OSCALDocument(bytes: bytes, root: root)
    }

    var metadata: [String: Any] { root["metadata"] as? [String: Any] ?? [:] }
    var result: [String: Any] { (root["results"] as? [[String: Any]])?.first ?? [:] }
    var findings: [[String: Any]] { result["findings"] as? [[String: Any]] ?? [] }
    var observations: [[String: Any]] { result["observations"] as? [[String: Any]] ?? [] }
    var risks: [[String: Any]] { result["risks"] as? [[String: Any]] ?? [] }
    var resources: [[String: Any]] { (root["back-matter"] as? [String: Any])?["resources"] as? [[String: Any]] ?? [] }
    var selection: [String: Any] {
        ((result["reviewed-controls"] as? [String: Any])?["control-selections"] as? [[String: Any]])?.first ?? [:]
    }
    var included: Set<String> { Set((selection["include-controls"] as? [[String: Any]] ?? []).compactMap { $0["control-id"] as? String }) }
    var excluded: Set<String> { Set((selection["exclude-controls"] as? [[String: Any]] ?? []).compactMap { $0["control-id"] as? String }) }

    /// The findings whose target is `id` (`iso42001_A.6.2.4`).
    func findings(targeting id: String) -> [[String: Any]] { findings.filter { Self.target($0)["target-id"] as? String == id } }
    func observation(titled title: String) -> [String: Any]? { observations.first { $0["title"] as? String == title } }
    func observation(uuid: String) -> [String: Any]? { observations.first { $0["uuid"] as? String == uuid } }
    func resource(uuid: String) -> [String: Any]? { resources.first { $0["uuid"] as? String == uuid } }

    static func target(_ finding: [String: Any]) -> [String: Any] { finding["target"] as? [String: Any] ?? [:] }
    /// `target.status.state`: satisfied or not-satisfied.
    static func state(_ finding: [String: Any]) -> String? { (target(finding)["status"] as? [String: Any])?["state"] as? String }
    /// `target.implementation-status.state`.
    static func implementation(_ finding: [String: Any]) -> String? {
        (target(finding)["implementation-status"] as? [String: Any])?["state"] as? String
    }
    /// The UUIDs a `related-observations` list names.
    static func related(_ object: [String: Any]) -> [String] {
        (object["related-observations"] as? [[String: Any]] ?? []).compactMap { $0["observation-uuid"] as? String }
    }
    /// The hrefs of an observation's `relevant-evidence`.
    static func evidenceHrefs(_ observation: [String: Any]) -> [String] {
        (observation["relevant-evidence"] as? [[String: Any]] ?? []).compactMap { $0["href"] as? String }
    }
}

extension CLIWorkspace {
    /// Runs a command that must succeed; its standard output, trimmed.
    @discardableResult
    func ok(_ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let outcome = try run(arguments)
        #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)", sourceLocation: sourceLocation)
        return outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

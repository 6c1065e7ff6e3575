import FieldbookModel
import FieldbookStore
import Foundation

// Evidence files in OSCAL's own terms: each file is a back-matter resource whose `rlinks` give
// its name (as a relative reference), media type and SHA-256 `hashes`; observations point at
// it through `relevant-evidence` `href: "#uuid"`. The observation of the file says it was
// examined; results and impact assessments that link the file point at the same resource.
extension OSCALAssessmentResults {
    static func evidenceResourceUUID(_ id: String, uuid: (String) -> String) -> String { uuid("evidence-file:\(id)") }

    /// The file's name as the assessor gave it, or a name from its hash when it has none (as the
    /// audit package names it).
    private static func name(of item: Evidence) -> String {
        item.filename.flatMap(\.nonEmpty) ?? "evidence-\((item.sha256 ?? item.id.rawValue).prefix(12))"
    }

    /// The resource describing an evidence file. The href is the file's name, relative: the
    /// document does not know where the file will sit (in an audit package, under `evidence/`);
    /// the SHA-256 says which bytes are meant wherever they are.
    static func evidenceResource(_ item: Evidence, in data: ReportData, uuid: (String) -> String) -> Resource {
        let name = name(of: item)
        return Resource(
            uuid: evidenceResourceUUID(item.id.rawValue, uuid: uuid), title: name, description: item.description,
            props: [Prop(name: "fieldbook-id", value: item.id.rawValue)],
            rlinks: [RLink(href: relativeReference(name), mediaType: OSCALMediaType.of(name),
                           hashes: item.sha256.map { [Hash(algorithm: "SHA-256", value: $0)] })],
            remarks: data.unverifiedEvidence.contains(item.id)
                ? "Missing or damaged in the exporting workspace: its bytes no longer match this SHA-256, or are not there." : nil)
    }

    /// The observation that the file was examined (the one method evidence on file supports).
    static func evidenceObservation(_ item: Evidence, in data: ReportData, uuid: (String) -> String) -> Observation {
        Observation(uuid: uuid("evidence:\(item.id.rawValue)"), title: item.filename,
                    description: item.description ?? "Evidence file \(name(of: item))",
                    props: [Prop(name: "fieldbook-id", value: item.id.rawValue)] + dating(item), methods: ["EXAMINE"], types: nil,
                    relevantEvidence: [evidenceLink(item, in: data, uuid: uuid)],
                    collected: Timestamps.rfc3339(item.created),
                    remarks: item.requirements.isEmpty ? nil : "Supports \(item.requirements.joined(separator: ", ")).")
    }

    /// The date the file speaks for, apart from `collected` (when it was recorded): `as-of`, or
    /// `period-start` and `period-end` (issue 30). Nothing when none is recorded.
    static func dating(_ item: Evidence) -> [Prop] {
        [("as-of", item.asOf), ("period-start", item.periodFrom), ("period-end", item.periodTo)].compactMap { name, value in
            value.map { Prop(name: name, value: $0) }
        }
    }

    /// `relevant-evidence` pointing at the file's resource.
    static func evidenceLink(_ item: Evidence, in data: ReportData, uuid: (String) -> String) -> RelevantEvidence {
        RelevantEvidence(href: "#\(evidenceResourceUUID(item.id.rawValue, uuid: uuid))",
                         description: "Evidence file \(name(of: item))"
                             + (data.unverifiedEvidence.contains(item.id) ? "; missing or damaged in the exporting workspace" : "") + ".")
    }

    /// A file name as a relative URI reference: everything but RFC 3986's unreserved characters
    /// percent-encoded, so spaces, `:` or `#` in a name cannot make it a scheme or a fragment.
    static func relativeReference(_ name: String) -> String {
        var unreserved = CharacterSet(charactersIn: "-._~")
        unreserved.insert(charactersIn: "a"..."z")
        unreserved.insert(charactersIn: "A"..."Z")
        unreserved.insert(charactersIn: "0"..."9")
        return name.addingPercentEncoding(withAllowedCharacters: unreserved) ?? name
    }
}

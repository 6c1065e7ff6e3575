/// How a library's requirements are named in Fieldbook (`framework:ref`, issue 19), and what a
/// mapping library needs from elsewhere.
extension LibraryDocument {
    /// The framework's key: the last segment of its URN after the last `:`
    /// (`urn:intuitem:risk:framework:nist-csf-2.0` -> `nist-csf-2.0`,
    /// `urn:intuitem:risk:framework:ai-act` -> `ai-act`). Nil when the library defines no framework.
    public var frameworkKey: String? {
        framework.map { Self.frameworkKey(ofURN: $0.urn) }
    }

    /// The key of any framework URN, e.g. a mapping set's source or target.
    public static func frameworkKey(ofURN urn: String) -> String {
        lastSegment(of: urn)
    }

    /// The frameworks this library's mapping sets name as source or target but do not define
    /// themselves: lower-case URNs, sorted, each once. The importer checks that each is among the
    /// files imported together or already held by the engagement.
    public var requiredFrameworks: [String] {
        let named = Set(mappingSets.flatMap { [$0.sourceFrameworkURN, $0.targetFrameworkURN] })
        return named.subtracting(framework.map { [$0.urn] } ?? []).sorted()
    }

    /// The text after the last `:` of a URN (the whole URN when it has none).
    static func lastSegment(of urn: String) -> String {
        guard let colon = urn.lastIndex(of: ":") else { return urn }
        return String(urn[urn.index(after: colon)...])
    }
}

extension LibraryDocument.Node {
    /// The requirement's local id in Fieldbook: its `ref_id`, or the last segment of its URN when
    /// it has none (the EU AI Act library has assessable nodes without `ref_id`:
    /// `urn:intuitem:risk:req_node:ai-act:node415` -> `node415`).
    public var ref: String {
        refID ?? LibraryDocument.lastSegment(of: urn)
    }
}

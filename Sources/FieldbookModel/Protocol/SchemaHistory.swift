/// Which protocol a change needs to be read: the lowest version whose schema holds its kind,
/// its field and, for a choice, its word. Protocol 1's schema is recorded here as it shipped
/// (Fieldbook 0.1, f64343e), never edited: everything outside it, today's additions and any
/// later ones, needs the current protocol, so a new kind or field can never slip through to a
/// reader that would refuse it.
public enum SchemaHistory {
    /// Protocol 1's fields, kind by kind.
    static let protocol1Fields: [EntityKind: Set<String>] = [
        .engagement: ["name", "scope"],
        .result: ["status", "maturity", "note"],
        .risk: ["title", "description", "likelihood", "impact", "owner", "treatment", "status", "requirements", "systems", "deleted"],
        .evidence: ["filename", "sha256", "size", "description", "requirements", "systems", "deleted"],
        .finding: ["title", "description", "severity", "status", "corrective_action", "owner", "due", "source", "requirements", "systems", "deleted"],
        .system: ["name", "purpose", "owner", "stage", "risk_tier", "in_scope", "deleted"],
        .impact: ["summary", "affected", "societal", "severity", "likelihood", "date", "systems", "evidence", "deleted"],
        .applicability: ["applicability", "justification"],
        .library: ["name", "version", "sha256", "framework", "content", "deleted"],
    ]

    /// Protocol 1's words for the choices whose vocabulary grew since; every other choice
    /// field kept its words.
    static let protocol1Words: [EntityKind: [String: Set<String>]] = [
        .risk: ["treatment": ["mitigate", "accept", "transfer", "avoid"]],
        .finding: ["severity": ["minor", "major"]],
    ]

    /// The protocol a reader needs for a change of `kind` to `field` holding `value`.
    public static func needed(kind: EntityKind, field: String, value: FieldValue) -> ProtocolVersion {
        guard let fields = protocol1Fields[kind], fields.contains(field) else { return .current }
        if let words = protocol1Words[kind]?[field], case .enumCase(let word) = value, !words.contains(word) { return .current }
        return .v1
    }
}

/// Which protocol a change needs to be read: the lowest version whose schema holds its kind,
/// its field and, for a choice, its word. Each earlier protocol's schema is recorded here as it
/// shipped, never edited (protocol 1: Fieldbook 0.1, f64343e; protocol 2: Fieldbook 0.2, before
/// fieldwork): everything outside them, today's additions and any later ones, needs the current
/// protocol, so a new kind or field can never slip through to a reader that would refuse it.
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

    /// Protocol 2's fields where they differ from protocol 1's (risk treatment and graded findings,
    /// issue 29); its choices' words are today's, except those of kinds and fields added since.
    static let protocol2Fields: [EntityKind: Set<String>] = protocol1Fields.merging([
        .engagement: ["name", "scope", "risk_acceptance_level"],
        .risk: ["title", "description", "likelihood", "impact", "owner", "treatment", "status", "requirements", "systems", "treated_by",
                "residual_likelihood", "residual_impact", "accepted_by", "accepted_on", "acceptance_note", "deleted"],
        .finding: ["title", "description", "severity", "status", "corrective_action", "owner", "due", "source", "correction", "root_cause",
                   "verified_by", "verified_on", "verification", "closed_without_verification", "requirements", "systems",
                   "verification_evidence", "deleted"],
        .applicability: ["applicability", "justification", "reason"],
    ]) { _, later in later }

    /// The protocol a reader needs for a change of `kind` to `field` holding `value`.
    public static func needed(kind: EntityKind, field: String, value: FieldValue) -> ProtocolVersion {
        if protocol1Fields[kind]?.contains(field) == true {
            guard let words = protocol1Words[kind]?[field], case .enumCase(let word) = value, !words.contains(word) else { return .v1 }
            return .v2
        }
        // Fieldwork (issue 30) added a kind and fields, and no word to protocol 2's choices.
        return protocol2Fields[kind]?.contains(field) == true ? .v2 : .current
    }
}

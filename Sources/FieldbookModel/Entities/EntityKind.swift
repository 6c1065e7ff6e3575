/// The kinds of entity an engagement holds. Decoding an unknown kind fails, so a batch
/// carrying one is refused whole.
public enum EntityKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case engagement
    /// An assessment result: one per requirement, its id derived from the requirement.
    case result
    case risk
    case evidence
    /// A nonconformity with its corrective action (ISO/IEC 42001 clause 10.2).
    case finding
    /// An AI system the management system covers (ISO/IEC 42001 clause 4.3).
    case system
    /// An AI system impact assessment (6.1.4, 8.4, Annex A.5).
    case impact
    /// An Annex A control's place in the Statement of Applicability (6.1.3): one per control,
    /// its id derived from the control like a result's.
    case applicability
    /// A framework or mapping library (CISO Assistant's format) the engagement pins: one per
    /// library URN, its id derived from the URN, its canonical bytes in the object store by
    /// SHA-256 like an evidence file's (issue 19).
    case library
    /// A request to the client for evidence (the "provided by client" list, issue 30): what is
    /// asked, for which requirements, from whom, by when, and where it stands.
    case request
    /// An interview held during fieldwork (issue 30): with whom, on what date, about which
    /// requirements, and the notes taken. Evidence of its kind (OSCAL method INTERVIEW).
    case interview
    /// A sampled test of a control (a workpaper, issue 30): the population file by SHA-256, the
    /// seed and size of the recorded random draw. Its items are `sample` entities.
    case test
    /// One item a test drew from its population (its row and key), and what testing it found:
    /// passed, or an exception. Its own entity, so two assessors recording one item edit one
    /// field and a concurrent edit is a conflict.
    case sample
    /// A lost or stolen laptop's key cut off (issue 31): written only by the engagement's key
    /// on the server (`fieldbook-server key revoke`), one per revoked site, its id
    /// `revocation:` and the site; the site's changes beyond `last_valid` are refused everywhere.
    case revocation

    public static func < (lhs: EntityKind, rhs: EntityKind) -> Bool { lhs.rawValue < rhs.rawValue }
}

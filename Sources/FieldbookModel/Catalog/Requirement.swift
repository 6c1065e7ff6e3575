/// Where a catalog entry sits in its framework's structure.
public enum RequirementLevel: String, Sendable, Codable, CaseIterable {
    case function, category, subcategory
    case clause, objective, control = "annex-a-control"
    /// An imported library's node: a section groups, a requirement is assessed.
    case section, requirement
}

/// One entry of a framework catalog: an AI RMF function, category or subcategory, or an
/// ISO/IEC 42001 clause, Annex A objective or Annex A control.
public struct Requirement: Sendable, Hashable, Identifiable {
    public let id: RequirementID
    public let level: RequirementLevel
    /// The reference as the publication prints it (`GOVERN 1.1`, `A.6.2.4`).
    public let ref: String
    public let title: String?
    /// Official text where the publisher allows it (AI RMF); ISO text is not reproduced.
    public let text: String?
    public let parent: RequirementID?
    /// Whether an assessor records a result for it (leaves of the structure).
    public let assessable: Bool
    /// Further labelled facts from the catalog (function summary, Annex B guidance ref, ...).
    public let extra: [String: String]

    public init(id: RequirementID, level: RequirementLevel, ref: String, title: String?, text: String?,
                parent: RequirementID?, assessable: Bool, extra: [String: String] = [:]) {
        self.id = id
        self.level = level
        self.ref = ref
        self.title = title
        self.text = text
        self.parent = parent
        self.assessable = assessable
        self.extra = extra
    }

    /// A one-line label: the title where there is one, else the start of the text.
    public var headline: String {
        if let title, !title.isEmpty { return title }
        guard let text else { return ref }
        return text.count > 90 ? String(text.prefix(87)) + "..." : text
    }
}

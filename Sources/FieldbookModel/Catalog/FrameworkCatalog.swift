/// One framework's catalog: its metadata and every entry, in publication order.
public struct FrameworkCatalog: Sendable {
    public let framework: FrameworkID
    public let name: String
    public let version: String
    /// The publication date as the catalog file gives it.
    public let publication: String
    public let sourceURL: String?
    public let license: String?
    public let requirements: [Requirement]

    private let positions: [RequirementID: Int]

    public init(framework: FrameworkID, name: String, version: String, publication: String,
                sourceURL: String?, license: String?, requirements: [Requirement]) {
        self.framework = framework
        self.name = name
        self.version = version
        self.publication = publication
        self.sourceURL = sourceURL
        self.license = license
        self.requirements = requirements
        self.positions = Dictionary(requirements.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The entry with `id`, if this catalog holds it.
    public subscript(id: RequirementID) -> Requirement? {
        positions[id].map { requirements[$0] }
    }

    /// The name readers know the framework by, for cards, headings and tables: the designation
    /// a standard's title opens with ("ISO/IEC 42001:2023 Information technology ..." ->
    /// "ISO/IEC 42001:2023"), or a publisher and the abbreviation a title ends with ("Artificial
    /// Intelligence Risk Management Framework (AI RMF 1.0)", published by "NIST ..." -> "NIST AI
    /// RMF 1.0"). An imported framework keeps the name its library gives it.
    public var shortName: String {
        guard FrameworkID.bundled.contains(framework) else { return name }
        let words = name.split(separator: " ", omittingEmptySubsequences: true)
        if words.count > 2, words[0].allSatisfy({ $0.isUppercase || $0 == "/" }), words[1].first?.isNumber == true {
            return "\(words[0]) \(words[1])"
        }
        if name.hasSuffix(")"), let open = name.lastIndex(of: "(") {
            let abbreviation = name[name.index(after: open)..<name.index(before: name.endIndex)]
            let publisher = publication.prefix { $0 != " " }
            let known = !publisher.isEmpty && publisher.allSatisfy(\.isUppercase) && !abbreviation.hasPrefix(publisher)
            return known ? "\(publisher) \(abbreviation)" : String(abbreviation)
        }
        return name
    }

    /// The entries an assessor records a result for, in publication order.
    public var assessable: [Requirement] { requirements.filter(\.assessable) }

    /// The entries directly below `id`.
    public func children(of id: RequirementID) -> [Requirement] {
        requirements.filter { $0.parent == id }
    }

    /// Every entry below `id` in the structure, at any depth.
    public func descendants(of id: RequirementID) -> [Requirement] {
        requirements.filter { isDescendant($0.id, of: id) }
    }

    /// The requirements a group covers: the assessable entries below it, in publication order
    /// (a finding against clause 9.2 as a whole concerns 9.2.1 and 9.2.2).
    public func assessableParts(of id: RequirementID) -> [Requirement] {
        descendants(of: id).filter(\.assessable)
    }

    /// Whether `candidate` sits below `ancestor`, at any depth.
    public func isDescendant(_ candidate: RequirementID, of ancestor: RequirementID) -> Bool {
        var current = self[candidate]?.parent
        while let parent = current {
            if parent == ancestor { return true }
            current = self[parent]?.parent
        }
        return false
    }
}

import FieldbookModel

/// Turns imported libraries into catalogs and mapping sets the rest of Fieldbook reads like the
/// bundled ones.
///
/// Identity: a requirement is `framework:ref`, the framework key from its URN's last segment and
/// `ref` from the node's `ref_id` (or its URN's last segment), with every run of characters an
/// entity id cannot hold (spaces, brackets) made one `-` (`GOVERN 1.1` -> `GOVERN-1.1`,
/// `Recital 1` -> `Recital-1`). Two nodes that would share an id take their URN's last segment.
///
/// CISO Assistant's own libraries of the two bundled frameworks are the bundled ones: their
/// URNs (`urn:intuitem:risk:framework:iso42001-2023`, node `...:iso42001-2023:a.5.2`) resolve to
/// Fieldbook's ids (`iso42001:A.5.2`), so mapping sets written for CISO Assistant attach directly.
/// Where CISO Assistant assesses a clause whole that Fieldbook splits (6.1, against 6.1.1-6.1.4),
/// a row naming the clause is applied to every assessable requirement below it: the clause's
/// other end covers each part fully when it covers the clause fully (equal, superset), and
/// partly otherwise (intersect), since a part of a clause can be no more than the clause.
public enum LibraryCatalogBuilder {
    /// CISO Assistant's framework URNs of the two bundled frameworks.
    public static let bundledAliases: [String: FrameworkID] = [
        "urn:intuitem:risk:framework:iso42001-2023": .iso42001,
        "urn:intuitem:risk:framework:nist-ai-rmf-1.0": .nistAIRMF,
    ]

    /// The key an imported framework is known by, or why it cannot be used.
    public static func key(of framework: LibraryDocument.Framework, file: String) throws(LibraryError) -> FrameworkID {
        let segment = LibraryDocument.frameworkKey(ofURN: framework.urn)
        guard let key = FrameworkID(rawValue: segment) else {
            throw .unusable(file: file, reason: "its framework URN ends in '\(segment.prefix(80))', which cannot name a framework (lower-case letters, digits, '.', '-' and '_', at most \(FrameworkID.maximumLength) characters)")
        }
        guard bundledAliases[framework.urn] == nil, !FrameworkID.bundled.contains(key) else {
            throw .unusable(file: file, reason: "it defines \(key.rawValue), which Fieldbook carries already; import only mapping libraries for it")
        }
        return key
    }

    /// The catalog of a library's framework.
    public static func catalog(_ library: LibraryDocument, file: String) throws(LibraryError) -> FrameworkCatalog? {
        guard let framework = library.framework else { return nil }
        let key = try key(of: framework, file: file)
        let ids = try localIDs(framework, key: key, file: file)
        let requirements = framework.nodes.compactMap { node -> Requirement? in
            guard let local = ids[node.urn] else { return nil }
            let parent = node.parentURN.flatMap { ids[$0] }.map { RequirementID(framework: key, local: $0) }
            var extra: [String: String] = ["urn": node.urn]
            if let annotation = node.annotation { extra["annotation"] = annotation }
            return Requirement(id: RequirementID(framework: key, local: local), level: node.assessable ? .requirement : .section,
                               ref: node.refID ?? local, title: node.name, text: node.description, parent: parent,
                               assessable: node.assessable, extra: extra)
        }
        return FrameworkCatalog(framework: key, name: framework.name, version: String(library.version),
                                publication: [library.provider, library.name].compactMap { $0 }.joined(separator: ": "),
                                sourceURL: nil, license: library.copyright, requirements: requirements)
    }

    /// Node URN -> local id, unique within the framework.
    static func localIDs(_ framework: LibraryDocument.Framework, key: FrameworkID, file: String) throws(LibraryError) -> [String: String] {
        var ids: [String: String] = [:]
        var taken: Set<String> = []
        for node in framework.nodes {
            var local = sanitized(node.ref)
            if local.isEmpty || taken.contains(local.uppercased()) { local = sanitized(LibraryDocument.lastSegment(of: node.urn)) }
            guard !local.isEmpty, !taken.contains(local.uppercased()) else {
                throw .unusable(file: file, reason: "two nodes would both be \(key.rawValue):\(local); give them distinct ref_id values")
            }
            // `sanitized` keeps only characters an id may hold, so only the length can break it
            // (the longest id naming a requirement is its applicability entry's).
            guard "applicability:".utf8.count + key.rawValue.utf8.count + 1 + local.utf8.count <= EntityID.maximumLength else {
                throw .unusable(file: file, reason: "node \(node.urn.prefix(80)) makes the id \(key.rawValue):\(local.prefix(40))..., longer than an id can be; shorten its ref_id")
            }
            taken.insert(local.uppercased())
            ids[node.urn] = local
        }
        return ids
    }

    /// Every run of characters an entity id cannot hold becomes one `-`, trimmed at the ends.
    static func sanitized(_ ref: String) -> String {
        var out = ""
        var pendingDash = false
        for scalar in ref.unicodeScalars {
            let keep = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "." || scalar == "_"
            if keep {
                if pendingDash, !out.isEmpty { out += "-" }
                pendingDash = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingDash = true
            }
        }
        return out
    }

    /// Resolves a mapping row's node URNs against the catalogs at hand (imported and bundled).
    public struct Resolver: Sendable {
        /// Framework URN -> key, for every framework a mapping set may name.
        let frameworks: [String: FrameworkID]
        /// Node URN -> id, for imported frameworks.
        let nodes: [String: RequirementID]
        /// For each bundled framework, a node's last URN segment (upper-cased) -> what it stands
        /// for: built once, since every row of a large mapping set asks.
        let bundledNodes: [FrameworkID: [String: (ids: [RequirementID], whole: Bool)]]

        public init(libraries: [LibraryDocument], catalogs: [FrameworkCatalog]) {
            var frameworks = LibraryCatalogBuilder.bundledAliases
            var nodes: [String: RequirementID] = [:]
            let byKey = Dictionary(catalogs.map { ($0.framework, $0) }, uniquingKeysWith: { first, _ in first })
            for library in libraries {
                guard let framework = library.framework, let key = FrameworkID(rawValue: LibraryDocument.frameworkKey(ofURN: framework.urn)),
                      let catalog = byKey[key] else { continue }
                frameworks[framework.urn] = key
                for requirement in catalog.requirements {
                    if let urn = requirement.extra["urn"] { nodes[urn] = requirement.id }
                }
            }
            self.frameworks = frameworks
            self.nodes = nodes
            var bundledNodes: [FrameworkID: [String: (ids: [RequirementID], whole: Bool)]] = [:]
            for framework in FrameworkID.bundled {
                guard let catalog = byKey[framework] else { continue }
                bundledNodes[framework] = Self.standsFor(catalog)
            }
            self.bundledNodes = bundledNodes
        }

        public func framework(_ urn: String) -> FrameworkID? { frameworks[urn] }

        /// The requirements a node URN stands for: itself, or for a clause the bundled catalog
        /// splits, every assessable requirement below it.
        func requirements(_ urn: String, in framework: FrameworkID) -> (ids: [RequirementID], whole: Bool)? {
            if let id = nodes[urn] { return ([id], true) }
            return bundledNodes[framework]?[LibraryDocument.lastSegment(of: urn).uppercased()]
        }

        /// Every entry of a bundled catalog by its upper-cased local id: an assessable one stands
        /// for itself; a group both sides keep as a group (9.2, with no assessable part) stays
        /// itself; a split clause (6.1) stands for its assessable parts. The first entry of an
        /// id wins, as a search in publication order would find it.
        static func standsFor(_ catalog: FrameworkCatalog) -> [String: (ids: [RequirementID], whole: Bool)] {
            var children: [RequirementID: [Requirement]] = [:]
            for requirement in catalog.requirements {
                if let parent = requirement.parent { children[parent, default: []].append(requirement) }
            }
            func assessableParts(of id: RequirementID) -> [RequirementID] {
                (children[id] ?? []).flatMap { ($0.assessable ? [$0.id] : []) + assessableParts(of: $0.id) }
            }
            var result: [String: (ids: [RequirementID], whole: Bool)] = [:]
            for requirement in catalog.requirements {
                let key = requirement.id.local.uppercased()
                guard result[key] == nil else { continue }
                if requirement.assessable { result[key] = ([requirement.id], true); continue }
                let parts = assessableParts(of: requirement.id)
                result[key] = parts.isEmpty ? ([requirement.id], true) : (parts, false)
            }
            return result
        }
    }

    /// A library's mapping sets, their rows resolved. A row naming a node its framework does not
    /// hold is left out and listed in `leftOut` (one bad row of 358 must not lose the other 357);
    /// a set in which no row resolves is refused, since it maps nothing and most likely names
    /// another version of a framework. A set whose framework is not held at all is refused
    /// unless `lenient` (a library pinned earlier: its framework may have been removed since),
    /// when the whole set is left out.
    public static func mappingSets(_ library: LibraryDocument, resolver: Resolver, file: String, lenient: Bool = false,
                                   leftOut: inout [LeftOutMappingRow]) throws(LibraryError) -> [MappingSet] {
        var sets: [MappingSet] = []
        for set in library.mappingSets {
            var ends: [FrameworkID] = []
            for (urn, direction) in [(set.sourceFrameworkURN, "from"), (set.targetFrameworkURN, "to")] {
                if let framework = resolver.framework(urn) { ends.append(framework); continue }
                guard lenient else {
                    throw .unusable(file: file, reason: "mapping set \(set.urn) maps \(direction) \(urn), a framework neither imported with it nor held by the engagement; import that framework's library in the same call")
                }
                leftOut.append(LeftOutMappingRow(set: set.urn, row: nil, unresolved: urn, reason: "the engagement holds no such framework",
                                                 rows: set.mappings.count))
                break
            }
            guard ends.count == 2 else { continue }
            let (source, target) = (ends[0], ends[1])
            var rows: [MappingRow] = []
            var unresolved: [LeftOutMappingRow] = []
            for (index, mapping) in set.mappings.enumerated() {
                guard let from = resolver.requirements(mapping.sourceURN, in: source) else {
                    unresolved.append(LeftOutMappingRow(set: set.urn, row: index + 1, unresolved: mapping.sourceURN,
                                                        reason: "\(source.rawValue) does not define it"))
                    continue
                }
                guard let to = resolver.requirements(mapping.targetURN, in: target) else {
                    unresolved.append(LeftOutMappingRow(set: set.urn, row: index + 1, unresolved: mapping.targetURN,
                                                        reason: "\(target.rawValue) does not define it"))
                    continue
                }
                let relationship = MappingRelationship(rawValue: mapping.relationship.rawValue) ?? .related
                for left in from.ids {
                    for right in to.ids {
                        rows.append(MappingRow(source: left, target: right,
                                               relationship: split(relationship, sourceWhole: from.whole, targetWhole: to.whole),
                                               rationale: mapping.rationale, strength: mapping.strength))
                    }
                }
            }
            if !lenient, !set.mappings.isEmpty, unresolved.count == set.mappings.count, let first = unresolved.first {
                throw .unusable(file: file, reason: "no row of mapping set \(set.urn) resolves (row \(first.row ?? 1) names \(first.unresolved), and \(first.reason)); import the framework version it was written for")
            }
            leftOut += unresolved
            sets.append(MappingSet(id: set.urn, name: set.name, source: source, target: target, rows: rows,
                                   origin: "\(library.urn) version \(library.version)"))
        }
        return sets
    }

    /// The relationship between the parts of split clauses, from the one between the wholes.
    static func split(_ relationship: MappingRelationship, sourceWhole: Bool, targetWhole: Bool) -> MappingRelationship {
        var result = relationship
        // A part of the target: a source equal to or containing the whole target contains the part.
        if !targetWhole { result = (result == .equal || result == .superset) ? .superset : (result == .notRelated ? .notRelated : .intersect) }
        // A part of the source: contained in whatever contained or equalled the whole source.
        if !sourceWhole { result = (result == .equal || result == .subset) ? .subset : (result == .notRelated ? .notRelated : .intersect) }
        return result
    }
}

import Yams

/// From a checked YAML tree to a `LibraryDocument`: required fields, their types, URNs, the
/// framework's tree and mapping relationships. Which frameworks a mapping needs is left to the
/// importer (`LibraryDocument.requiredFrameworks`), which sees every file given at once.
enum LibraryDecoder {
    static func document(_ root: Node, file: String) throws(LibraryError) -> LibraryDocument {
        guard case .mapping(let top) = root else {
            let what = LibraryFields.describe(root)
            throw .notALibrary(file: file, reason: "its top level is \(what), not a mapping with urn, name, version and objects")
        }
        let library = LibraryFields(top, file: file, place: "the library")
        guard library.has("urn") || library.has("objects") else {
            throw .notALibrary(file: file, reason: "it has neither urn nor objects at its top level")
        }
        let urn = try library.requiredURN("urn")
        let refID = try library.requiredText("ref_id")
        let name = try library.requiredText("name")
        let version = try library.requiredInt("version")
        var dependencies: [String] = []
        for (index, node) in (try library.list("dependencies") ?? []).enumerated() {
            let field = "dependency \(index + 1)"
            guard case .scalar(let scalar) = node else {
                throw library.wrongType(field, node, expected: "a URN")
            }
            dependencies.append(try LibraryFields.urn(scalar.string.trimmingCharacters(in: .whitespacesAndNewlines),
                                                      file: file, place: "the library", field: field, line: node.mark?.line))
        }
        guard let objectsNode = library.value("objects") else {
            throw .missingField(file: file, place: "the library", field: "objects", line: library.line)
        }
        let objects = try LibraryFields(objectsNode, file: file, place: "objects", field: "objects", in: "the library")
        let framework = try frameworkNode(objects).map { node throws(LibraryError) in try Self.framework(node, file: file) }
        let mappingSets = try self.mappingSets(objects, file: file)
        guard framework != nil || !mappingSets.isEmpty else { throw .noContent(file: file) }
        return LibraryDocument(
            urn: urn, locale: try library.text("locale"), refID: refID, name: name,
            description: try library.text("description"), copyright: try library.text("copyright"),
            version: version, provider: try library.text("provider"), packager: try library.text("packager"),
            dependencies: dependencies, framework: framework, mappingSets: mappingSets)
    }

    /// `framework` (one mapping) or `frameworks` (a list of one).
    private static func frameworkNode(_ objects: LibraryFields) throws(LibraryError) -> Node? {
        let single = objects.value("framework")
        guard let list = try objects.list("frameworks") else { return single }
        guard single == nil else {
            throw .conflictingKeys(file: objects.file, first: "framework", second: "frameworks")
        }
        guard list.count <= 1 else { throw .severalFrameworks(file: objects.file, count: list.count) }
        return list.first
    }

    private static func framework(_ node: Node, file: String) throws(LibraryError) -> LibraryDocument.Framework {
        let fields = try LibraryFields(node, file: file, place: "the framework", field: "framework", in: "objects")
        guard let list = try fields.list("requirement_nodes"), !list.isEmpty else {
            throw .missingField(file: file, place: "the framework", field: "requirement_nodes", line: fields.line)
        }
        var nodes: [LibraryDocument.Node] = []
        var statedDepths: [Int?] = []
        nodes.reserveCapacity(list.count)
        for (index, item) in list.enumerated() {
            let (node, stated) = try requirementNode(item, number: index + 1, file: file)
            nodes.append(node)
            statedDepths.append(stated)
        }
        try LibraryNodeTree.assignDepths(&nodes, stated: statedDepths, file: file)
        return LibraryDocument.Framework(
            urn: try fields.requiredURN("urn"), refID: try fields.requiredText("ref_id"),
            name: try fields.requiredText("name"), description: try fields.text("description"),
            minScore: try fields.int("min_score"), maxScore: try fields.int("max_score"), nodes: nodes)
    }

    /// A node with depth 0 until the tree assigns it, and the depth the file states.
    private static func requirementNode(_ item: Node, number: Int, file: String) throws(LibraryError) -> (LibraryDocument.Node, Int?) {
        let numbered = try LibraryFields(item, file: file, place: "requirement node \(number)",
                                         field: "requirement node \(number)", in: "the framework")
        let urn = try numbered.requiredURN("urn")
        let fields = LibraryFields(numbered.mapping, file: file, place: "node \(urn)")
        let node = LibraryDocument.Node(
            urn: urn, assessable: try fields.requiredBool("assessable"), depth: 0,
            parentURN: try fields.urn("parent_urn"), refID: try fields.text("ref_id"), name: try fields.text("name"),
            description: try fields.text("description"), annotation: try fields.text("annotation"))
        return (node, try fields.int("depth"))
    }

    /// `requirement_mapping_sets` (a list) or the older `requirement_mapping_set` (one mapping).
    private static func mappingSets(_ objects: LibraryFields, file: String) throws(LibraryError) -> [LibraryDocument.MappingSet] {
        let single = objects.value("requirement_mapping_set")
        let list = try objects.list("requirement_mapping_sets")
        if single != nil, list != nil {
            throw .conflictingKeys(file: file, first: "requirement_mapping_set", second: "requirement_mapping_sets")
        }
        let nodes = list ?? single.map { [$0] } ?? []
        var sets: [LibraryDocument.MappingSet] = []
        var seen: Set<String> = []
        for (index, node) in nodes.enumerated() {
            let label = nodes.count == 1 ? nil : "set \(index + 1)"
            let set = try mappingSet(node, label: label, file: file)
            guard seen.insert(set.urn).inserted else { throw .duplicateURN(file: file, urn: set.urn, line: node.mark?.line) }
            sets.append(set)
        }
        return sets
    }

    private static func mappingSet(_ node: Node, label: String?, file: String) throws(LibraryError) -> LibraryDocument.MappingSet {
        let place = label.map { "mapping \($0)" } ?? "the mapping set"
        let fields = try LibraryFields(node, file: file, place: place, field: label ?? "requirement_mapping_set", in: "objects")
        guard let rows = try fields.list("requirement_mappings") else {
            throw .missingField(file: file, place: place, field: "requirement_mappings", line: fields.line)
        }
        var mappings: [LibraryDocument.Mapping] = []
        mappings.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            let rowPlace = (label.map { "\($0), " } ?? "") + "mapping \(index + 1)"
            mappings.append(try mapping(row, place: rowPlace, in: place, file: file))
        }
        return LibraryDocument.MappingSet(
            urn: try fields.requiredURN("urn"), refID: try fields.text("ref_id"), name: try fields.requiredText("name"),
            description: try fields.text("description"),
            sourceFrameworkURN: try fields.requiredURN("source_framework_urn"),
            targetFrameworkURN: try fields.requiredURN("target_framework_urn"), mappings: mappings)
    }

    private static func mapping(_ row: Node, place: String, in set: String, file: String) throws(LibraryError) -> LibraryDocument.Mapping {
        let fields = try LibraryFields(row, file: file, place: place, field: place, in: set)
        let text = try fields.requiredText("relationship")
        guard let relationship = LibraryDocument.Relationship(rawValue: text.lowercased()) else {
            throw .unknownRelationship(file: file, place: place, value: text, line: fields.value("relationship")?.mark?.line)
        }
        return LibraryDocument.Mapping(
            sourceURN: try fields.requiredURN("source_requirement_urn"),
            targetURN: try fields.requiredURN("target_requirement_urn"),
            relationship: relationship, rationale: try fields.text("rationale"),
            strength: try fields.int("strength_of_relationship"))
    }
}

/// The framework's tree, checked: unique node URNs, every `parent_urn` defined, no cycles, and
/// each node's depth computed from its parent chain (1 at the top).
///
/// The depth a file states must agree with the computed one: a disagreement almost always means
/// a `parent_urn` pointing at the wrong node, which would file results under the wrong clause.
enum LibraryNodeTree {
    static func assignDepths(_ nodes: inout [LibraryDocument.Node], stated: [Int?], file: String) throws(LibraryError) {
        var index: [String: Int] = [:]
        index.reserveCapacity(nodes.count)
        for (position, node) in nodes.enumerated() {
            guard index.updateValue(position, forKey: node.urn) == nil else {
                throw .duplicateURN(file: file, urn: node.urn, line: nil)
            }
        }
        var parent = [Int?](repeating: nil, count: nodes.count)
        for (position, node) in nodes.enumerated() {
            guard let parentURN = node.parentURN else { continue }
            guard let parentPosition = index[parentURN] else {
                throw .missingParent(file: file, node: node.urn, parent: parentURN)
            }
            parent[position] = parentPosition
        }

        // Walk up from each node until a node of known depth or a top node; a node met twice on
        // one walk closes a cycle. Every node is finished once, so this is linear.
        enum State { case unvisited, onPath, done }
        var state = [State](repeating: .unvisited, count: nodes.count)
        var depth = [Int](repeating: 0, count: nodes.count)
        for start in nodes.indices where state[start] == .unvisited {
            var path: [Int] = []
            var current: Int? = start
            var base = 0
            while let position = current {
                if state[position] == .done { base = depth[position]; break }
                if state[position] == .onPath {
                    let from = path.firstIndex(of: position) ?? 0
                    throw .parentCycle(file: file, urns: path[from...].map { nodes[$0].urn })
                }
                state[position] = .onPath
                path.append(position)
                current = parent[position]
            }
            for position in path.reversed() {
                base += 1
                depth[position] = base
                state[position] = .done
            }
        }

        for position in nodes.indices {
            if let declared = stated[position], declared != depth[position] {
                throw .depthMismatch(file: file, node: nodes[position].urn, stated: declared, computed: depth[position])
            }
            nodes[position].depth = depth[position]
        }
    }
}

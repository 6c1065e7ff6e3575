import FieldbookModel
@testable import FieldbookReplica

/// What the merged state must be, computed from what each writer held when writing (who
/// had seen what), not from the supersedes lists the implementation uses. A writer that
/// held a later change but not its predecessor did not see the predecessor's value: after a
/// partial delivery the two show as a conflict, never as a silent overwrite.
struct Oracle {
    let made: [Dot: Change]
    let seen: [Dot: Set<Dot>]

    private func saw(_ later: Change, _ earlier: Change) -> Bool {
        seen[later.dot]?.contains(earlier.dot) ?? false
    }

    /// Live values of a field: the writes no other write of the field had seen.
    func live(entity: EntityID, field: String) -> Set<Dot> {
        let writes = made.values.filter { $0.entity == entity && $0.field == field && $0.operation == .set }
        return Set(writes.filter { write in !writes.contains { saw($0, write) } }.map(\.dot))
    }

    /// Linked ids: those with an add that no remove of the same link had seen (add wins).
    func linked(entity: EntityID, field: String) -> Set<String> {
        let ops = made.values.filter { $0.entity == entity && $0.field == field && $0.operation != .set }
        let adds = ops.filter { $0.operation == .add }, removes = ops.filter { $0.operation == .remove }
        return Set(adds.filter { add in !removes.contains { $0.value == add.value && saw($0, add) } }.map(\.value.description))
    }

    func liveAdds(entity: EntityID, field: String) -> Set<Dot> {
        let ops = made.values.filter { $0.entity == entity && $0.field == field && $0.operation != .set }
        let adds = ops.filter { $0.operation == .add }, removes = ops.filter { $0.operation == .remove }
        return Set(adds.filter { add in !removes.contains { $0.value == add.value && saw($0, add) } }.map(\.dot))
    }

    func winner(of dots: Set<Dot>) -> Change? {
        dots.compactMap { made[$0] }.max { $0.precedes($1) }
    }

    /// The fields that must show a conflict: live writes of different values, or a deletion
    /// that missed an edit.
    func conflictedFields(of entity: EntityID) -> Set<String> {
        let fields = Set(made.values.filter { $0.entity == entity }.map(\.field))
        var result = Set(fields.filter { Set(live(entity: entity, field: $0).compactMap { made[$0]?.value }).count > 1 })
        let deleted = live(entity: entity, field: EntitySchema.deletedField).compactMap { made[$0] }
        guard winner(of: Set(deleted.map(\.dot)))?.isTombstone == true else { return result }
        let tombstones = deleted.filter(\.isTombstone)
        var liveEdits: [Dot] = []
        for field in fields where field != EntitySchema.deletedField {
            liveEdits += live(entity: entity, field: field)
            liveEdits += liveAdds(entity: entity, field: field)
        }
        if liveEdits.contains(where: { edit in !tombstones.contains { seen[$0.dot]?.contains(edit) ?? false } }) {
            result.insert(EntitySchema.deletedField)
        }
        return result
    }
}

/// A comparable picture of a merged state, shown values included.
struct Snapshot: Equatable {
    struct Field: Equatable { let live: [Dot]; let shown: Dot? }
    let entities: [EntityID: [String: Field]]
    let links: [EntityID: [String: [String]]]
    let conflicts: [String]

    init(_ state: ReplicaState) {
        var entities: [EntityID: [String: Field]] = [:]
        var links: [EntityID: [String: [String]]] = [:]
        for (id, entity) in state.entities {
            entities[id] = entity.fields.mapValues { Field(live: $0.live.keys.sorted(), shown: $0.winner?.dot) }
            links[id] = entity.links.keys.reduce(into: [:]) { $0[$1] = entity.linked($1) }
        }
        self.entities = entities
        self.links = links
        conflicts = state.conflicts.map { "\($0.entity)/\($0.field)/\($0.values.map(\.dot))" }
    }
}

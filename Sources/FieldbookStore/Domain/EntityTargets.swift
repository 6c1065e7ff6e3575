import FieldbookModel
import FieldbookReplica

/// Finding the entity an operation acts on from what a user typed, and refusing one that
/// is deleted: an update or link on a deleted entity would be invisible until restored.
extension WorkspaceDomain {
    /// An existing, not deleted entity of one kind, by full id or unique id prefix.
    public func live<Entity: TypedEntity>(_ type: Entity.Type, _ input: String) throws -> Entity {
        Entity(unchecked: try liveRecord(input, kind: Entity.kind))
    }

    public func liveRecord(_ input: String, kind: EntityKind) throws -> EntityRecord {
        let id = try workspace.resolveEntity(input, kind: kind)
        guard let record = try workspace.record(id) else { throw StoreError.notFound("No \(kind.rawValue) '\(input)' in this workspace.") }
        if record.deleted {
            throw StoreError.stateConflict("\(kind.rawValue.capitalized) \(id) is deleted; restore it first with 'fieldbook resolve \(id) deleted --value false'.")
        }
        return record
    }

    /// Deletes a risk, evidence file, finding or impact assessment: a tombstone that has
    /// seen every live value, so an edit made meanwhile elsewhere shows as a conflict.
    /// Returns the id deleted.
    public func delete(_ input: String, kind: EntityKind) throws -> EntityID {
        let record = try liveRecord(input, kind: kind)
        _ = try workspace.write([.delete(record.id, kind)])
        return record.id
    }

    /// An AI system by exact name (any case), id or unique id prefix.
    public func system(_ input: String) throws -> AISystem {
        let systems = try workspace.all(AISystem.self)
        if let byName = systems.first(where: { $0.name?.lowercased() == input.lowercased() }) { return byName }
        guard let system = try workspace.entity(AISystem.self, try workspace.resolveEntity(input, kind: .system)) else {
            throw StoreError.notFound("No AI system '\(input)'; 'fieldbook system list' shows them.")
        }
        return system
    }

    public func liveSystem(_ input: String) throws -> AISystem {
        let system = try system(input)
        if system.deleted {
            throw StoreError.stateConflict("AI system \(system.id) is deleted; restore it with 'fieldbook resolve \(system.id) deleted --value false'.")
        }
        return system
    }

    /// The ids of the live systems named (repeats dropped), for a `systems` link field.
    public func systemIDs(_ inputs: [String]) throws -> [String] {
        var seen = Set<String>()
        return try inputs.map { try liveSystem($0).id.rawValue }.filter { seen.insert($0).inserted }
    }
}

import FieldbookModel

/// The merged state of one entity: a register per field and an observed-remove set per
/// link field, plus the tombstone logic.
public struct EntityState: Sendable, Equatable {
    public let id: EntityID
    public let kind: EntityKind
    /// Field name -> its register.
    public private(set) var fields: [String: Register] = [:]
    /// Link field -> linked id -> the adds of that link (present while any add is live).
    public private(set) var links: [String: [String: Register]] = [:]

    public init(id: EntityID, kind: EntityKind) {
        self.id = id
        self.kind = kind
    }

    /// The state built from a set of changes. Given only the live changes of an entity (as
    /// the store keeps them), it yields the same live values, links and conflicts as the
    /// full history, since live changes never supersede one another.
    public init(id: EntityID, kind: EntityKind, changes: some Sequence<Change>) {
        self.init(id: id, kind: kind)
        for change in changes { apply(change) }
    }

    package mutating func apply(_ change: Change) {
        switch change.operation {
        case .set:
            fields[change.field, default: Register()].apply(change, becomesLive: true)
        case .add, .remove:
            links[change.field, default: [:]][change.value.description, default: Register()]
                .apply(change, becomesLive: change.operation == .add)
        }
    }

    /// The register `key` names: a field, or one element of a link set.
    public func register(_ key: RegisterKey) -> Register? {
        if let element = key.element { return links[key.field]?[element] }
        return fields[key.field]
    }

    /// The shown value of a field.
    public func value(_ field: String) -> FieldValue? {
        fields[field]?.winner?.value
    }

    /// The ids a link field holds, sorted.
    public func linked(_ field: String) -> [String] {
        (links[field] ?? [:]).filter { !$0.value.live.isEmpty }.keys.sorted()
    }

    /// Whether a tombstone is the shown value (a later restore lifts it).
    public var isDeleted: Bool { value(EntitySchema.deletedField) == .boolean(true) }

    /// Every live dot of the entity: what a tombstone written now must say it has seen.
    public var frontier: [Dot] {
        let fieldDots = fields.values.flatMap { $0.live.keys }
        let linkDots = links.values.flatMap { $0.values.flatMap { $0.live.keys } }
        return (fieldDots + linkDots).sorted()
    }

    /// Edits the live tombstones did not see: made concurrently with the deletion.
    public var editsConcurrentWithDeletion: [Change] {
        guard isDeleted, let tombstones = fields[EntitySchema.deletedField]?.live.values.filter(\.isTombstone) else { return [] }
        let seen = Set(tombstones.flatMap(\.supersedes))
        let others = fields.filter { $0.key != EntitySchema.deletedField }.values.flatMap { $0.live.values }
            + links.values.flatMap { $0.values.flatMap { $0.live.values } }
        return others.filter { !seen.contains($0.dot) }.sorted { $1.precedes($0) }
    }

    /// Fields with more than one live value, and a deletion that raced an edit.
    public var conflicts: [Conflict] {
        var result = fields.filter { $0.value.isConflicted }.map {
            Conflict(entity: id, kind: kind, field: $0.key, values: $0.value.liveValues)
        }
        let concurrent = editsConcurrentWithDeletion
        if !concurrent.isEmpty, let tombstones = fields[EntitySchema.deletedField]?.liveValues.filter(\.isTombstone) {
            result.removeAll { $0.field == EntitySchema.deletedField }
            result.append(Conflict(entity: id, kind: kind, field: EntitySchema.deletedField, values: tombstones + concurrent))
        }
        return result.sorted { $0.field < $1.field }
    }
}

/// A field whose concurrent writes did not see each other: every competing value, its
/// author and time, the shown one first. Resolving writes one change superseding them all.
public struct Conflict: Sendable, Equatable {
    public let entity: EntityID
    public let kind: EntityKind
    public let field: String
    public let values: [Change]

    /// For a deletion conflict, `values` holds the tombstones then the concurrent edits.
    public var isDeletion: Bool { field == EntitySchema.deletedField && values.contains(where: \.isTombstone) && values.contains { !$0.isTombstone } }
}

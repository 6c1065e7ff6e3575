import FieldbookModel

/// What a replica needs to know to write a change that supersedes what its author saw.
/// The in-memory `ReplicaState` and the SQLite store both answer it.
public protocol ReplicaReading {
    /// The live dots of one register.
    func liveDots(_ key: RegisterKey) throws -> [Dot]
    /// Every live dot of an entity.
    func frontier(of entity: EntityID) throws -> [Dot]
}

/// An edit an assessor makes; `ChangeFactory` turns it into a change.
public enum LocalEdit: Sendable, Equatable {
    /// Writes a field, superseding every live value (so it also resolves a conflict).
    case set(EntityID, EntityKind, field: String, FieldValue)
    case link(EntityID, EntityKind, field: String, target: String)
    case unlink(EntityID, EntityKind, field: String, target: String)
    /// A tombstone that has seen every live value of the entity.
    case delete(EntityID, EntityKind)
    /// Lifts a tombstone.
    case restore(EntityID, EntityKind)

    /// The kind of the entity edited.
    public var kind: EntityKind {
        switch self {
        case let .set(_, kind, _, _), let .link(_, kind, _, _), let .unlink(_, kind, _, _), let .delete(_, kind), let .restore(_, kind): kind
        }
    }
}

/// Makes the change for a local edit, given the writer's view of the current state.
public enum ChangeFactory {
    /// The unsigned, unchained change for `edit` at `dot` and `hlc`, superseding what `reading` shows live.
    public static func change(for edit: LocalEdit, dot: Dot, hlc: HLCTimestamp, author: String,
                              reading: some ReplicaReading) throws -> Change {
        switch edit {
        case let .set(entity, kind, field, value):
            return Change(dot: dot, hlc: hlc, author: author, entity: entity, kind: kind, field: field,
                          value: value, supersedes: try reading.liveDots(RegisterKey(entity: entity, field: field)))
        case let .link(entity, kind, field, target):
            return Change(dot: dot, hlc: hlc, author: author, entity: entity, kind: kind, field: field,
                          operation: .add, value: .link(target))
        case let .unlink(entity, kind, field, target):
            return Change(dot: dot, hlc: hlc, author: author, entity: entity, kind: kind, field: field,
                          operation: .remove, value: .link(target),
                          supersedes: try reading.liveDots(RegisterKey(entity: entity, field: field, element: target)))
        case let .delete(entity, kind):
            return Change(dot: dot, hlc: hlc, author: author, entity: entity, kind: kind, field: EntitySchema.deletedField,
                          value: .boolean(true), supersedes: try reading.frontier(of: entity))
        case let .restore(entity, kind):
            return Change(dot: dot, hlc: hlc, author: author, entity: entity, kind: kind, field: EntitySchema.deletedField,
                          value: .boolean(false),
                          supersedes: try reading.liveDots(RegisterKey(entity: entity, field: EntitySchema.deletedField)))
        }
    }
}

import FieldbookModel

/// The state of an engagement as a pure function of the set of changes it holds. Applying
/// changes in any order, any number of times, yields the same state (property-tested).
///
/// It merges; it does not check. Every change it is given has passed `ChangeIntake` (a received
/// batch through `check`, a local edit through `checkLocal`) or was read back from a log that
/// holds only such changes, so no dot names two contents and no entity has two kinds. Given
/// anything else it still never fails, but the state is unspecified: the first copy of a dot
/// and the first kind of an entity it meets stay.
public struct ReplicaState: Sendable {
    public private(set) var changes: [Dot: Change] = [:]
    public private(set) var entities: [EntityID: EntityState] = [:]
    /// Every dot held.
    public private(set) var vector = VersionVector()

    public init() {}

    /// The state of `changes`, accepted by `ChangeIntake` (see the type's precondition).
    public init(_ changes: [Change]) {
        apply(changes)
    }

    /// Merges changes accepted by `ChangeIntake` (see the type's precondition). Returns those
    /// that were new; a dot held already, or met twice, is merged once.
    @discardableResult
    public mutating func apply(_ batch: [Change]) -> [Change] {
        var fresh: [Change] = []
        for change in batch where changes[change.dot] == nil {
            changes[change.dot] = change
            vector.insert(change.dot)
            entities[change.entity, default: EntityState(id: change.entity, kind: change.kind)].apply(change)
            fresh.append(change)
        }
        return fresh
    }

    /// Merges another replica's state into this one (the union of their changes).
    public mutating func merge(_ other: ReplicaState) {
        apply(other.missing(from: vector))
    }

    /// The changes held here that a replica with `vector` lacks, in causal-friendly order.
    public func missing(from other: VersionVector) -> [Change] {
        changes.values.filter { !other.contains($0.dot) }.sorted { $0.precedes($1) }
    }

    public var conflicts: [Conflict] {
        entities.keys.sorted().flatMap { entities[$0]!.conflicts }
    }

    /// Every change of one entity, oldest first.
    public func history(of entity: EntityID) -> [Change] {
        changes.values.filter { $0.entity == entity }.sorted { $0.precedes($1) }
    }
}

extension ReplicaState: ReplicaReading {
    public func liveDots(_ key: RegisterKey) -> [Dot] {
        entities[key.entity]?.register(key)?.live.keys.sorted() ?? []
    }

    public func frontier(of entity: EntityID) -> [Dot] {
        entities[entity]?.frontier ?? []
    }
}

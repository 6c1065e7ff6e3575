import FieldbookModel

/// The state of an engagement as a pure function of the set of changes it holds. Applying
/// changes in any order, any number of times, yields the same state (property-tested).
public struct ReplicaState: Sendable {
    public private(set) var changes: [Dot: Change] = [:]
    public private(set) var entities: [EntityID: EntityState] = [:]
    /// Every dot held.
    public private(set) var vector = VersionVector()

    public init() {}

    public init(_ changes: [Change]) throws(ReplicaError) {
        try apply(changes)
    }

    /// Applies a batch whole or not at all. Returns the changes that were new.
    @discardableResult
    public mutating func apply(_ batch: [Change]) throws(ReplicaError) -> [Change] {
        try ChangeValidation.validate(batch, knownKind: { entities[$0]?.kind }, knownChange: { changes[$0] })
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
    public mutating func merge(_ other: ReplicaState) throws(ReplicaError) {
        try apply(other.missing(from: vector))
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

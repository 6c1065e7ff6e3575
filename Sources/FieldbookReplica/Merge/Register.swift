/// A multi-value register: the live values are the changes that no known change supersedes.
/// Applying changes in any order, any number of times, gives the same live set, because
/// a change stays live exactly when its dot is absent from every known supersedes list.
public struct Register: Sendable, Equatable {
    /// The changes no known change supersedes, by dot.
    public private(set) var live: [Dot: Change] = [:]
    /// Every dot some known change of this register supersedes.
    public private(set) var superseded: Set<Dot> = []

    public init() {}

    /// Adds a change. `becomesLive` is false for removals, which only supersede.
    public mutating func apply(_ change: Change, becomesLive: Bool) {
        for dot in change.supersedes {
            superseded.insert(dot)
            live[dot] = nil
        }
        if becomesLive && !superseded.contains(change.dot) {
            live[change.dot] = change
        }
    }

    /// The value shown to users: the live change with the greatest (HLC, site).
    public var winner: Change? {
        live.values.max { $0.precedes($1) }
    }

    /// Live values that differ: a conflict to show and resolve. Concurrent writes of the
    /// same value (two assessors both marking a result compliant) agree, so they are not
    /// shown as a conflict; both stay live and in the history.
    public var isConflicted: Bool {
        guard live.count > 1, let first = live.values.first?.value else { return false }
        return live.values.contains { $0.value != first }
    }

    /// The live changes, shown value first.
    public var liveValues: [Change] {
        live.values.sorted { $1.precedes($0) }
    }
}

/// A multi-value register: the live values are the changes that no known change supersedes.
/// Applying changes in any order, any number of times, gives the same live set, because
/// a change stays live exactly when its dot is absent from every known supersedes list.
public struct Register: Sendable, Equatable {
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

    /// More than one live value: a conflict to show and resolve.
    public var isConflicted: Bool { live.count > 1 }

    /// The live changes, shown value first.
    public var liveValues: [Change] {
        live.values.sorted { $1.precedes($0) }
    }
}

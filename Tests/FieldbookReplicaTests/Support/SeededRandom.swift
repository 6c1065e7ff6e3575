/// SplitMix64: a small, fast generator whose whole state is its seed, so a failing random
/// case is reproduced by printing one number.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func chance(_ probability: Double) -> Bool {
        Double.random(in: 0..<1, using: &self) < probability
    }

    mutating func pick<T>(_ items: [T]) -> T {
        items[Int.random(in: 0..<items.count, using: &self)]
    }
}

/// Seeds for property tests: `FIELDBOOK_PROPERTY_SEED` replays one case,
/// `FIELDBOOK_PROPERTY_CASES` sets how many run (default 1000).
enum PropertySeeds {
    static func seeds(default count: Int) -> [UInt64] {
        let env = ProcessInfo.processInfo.environment
        if let seed = env["FIELDBOOK_PROPERTY_SEED"].flatMap(UInt64.init) { return [seed] }
        let cases = env["FIELDBOOK_PROPERTY_CASES"].flatMap(Int.init) ?? count
        var master = SeededRandom(seed: env["FIELDBOOK_PROPERTY_MASTER"].flatMap(UInt64.init) ?? 0xF1E1_DB00C)
        return (0..<cases).map { _ in master.next() }
    }
}

import Foundation

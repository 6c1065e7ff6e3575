/// The recorded random selection of a sampled test (issue 30), the same on every machine and
/// release: anyone holding the population file and the seed redraws the same items.
/// `docs/sampling.md` states it for readers who redraw it elsewhere.
///
/// 1. The generator is SplitMix64 (Steele, Lea and Flood, 2014) with the seed as its state:
///    each draw adds 0x9E3779B97F4A7C15 to the state (wrapping) and returns the state mixed by
///    `z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
///    z ^ (z >> 31)` (multiplications wrapping, 64 bits).
/// 2. A number below `n` is a draw `x` taken when `x >= (2^64 - n) mod n`, as `x mod n`; a draw
///    below that threshold is thrown away and the next taken (no modulo bias).
/// 3. The population's rows, in file order, are positions 0 to N-1. For i from 0 to size-1,
///    j = i + (a number below N - i), and positions i and j swap (a partial Fisher-Yates
///    shuffle). The first `size` positions, in that order, are the sample.
///
/// The tests' seeded generator (`SeededRandom`) is this generator too, one definition of SplitMix64.
public struct SampleDraw: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// The next 64 bits of SplitMix64.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` (bound > 0), unbiased by rejection.
    public mutating func below(_ bound: UInt64) -> UInt64 {
        precondition(bound > 0)
        let threshold = (0 &- bound) % bound
        while true {
            let x = next()
            if x >= threshold { return x % bound }
        }
    }

    /// The positions (0-based, in file order) of `size` items drawn from `population` rows, in
    /// the order drawn. `size` must be 1...population.
    public static func positions(population: Int, size: Int, seed: UInt64) -> [Int] {
        precondition(size >= 1 && size <= population)
        var generator = SampleDraw(seed: seed)
        var order = Array(0..<population)
        for i in 0..<size {
            let j = i + Int(generator.below(UInt64(population - i)))
            order.swapAt(i, j)
        }
        return Array(order[0..<size])
    }
}

/// Where a sampled test stands, from its items' results: not started, under way, every item
/// passed, or exceptions found (counted, while testing goes on too).
public enum TestConclusion: Sendable, Equatable {
    case notStarted(size: Int)
    case inProgress(recorded: Int, size: Int)
    case passed(size: Int)
    case exceptions(count: Int, recorded: Int, size: Int)

    public init(results: [SampleResult?]) {
        let recorded = results.compactMap { $0 }
        let exceptions = recorded.filter { $0 == .exception }.count
        self = if exceptions > 0 { .exceptions(count: exceptions, recorded: recorded.count, size: results.count) }
        else if recorded.isEmpty { .notStarted(size: results.count) }
        else if recorded.count < results.count { .inProgress(recorded: recorded.count, size: results.count) }
        else { .passed(size: results.count) }
    }

    /// The word documents carry: `not-started`, `in-progress`, `passed`, `exceptions`.
    public var word: String {
        switch self {
        case .notStarted: "not-started"
        case .inProgress: "in-progress"
        case .passed: "passed"
        case .exceptions: "exceptions"
        }
    }

    /// "all 5 items passed", "2 exceptions in 5 items (4 recorded)", "3 of 5 items recorded, all passed so far".
    public var sentence: String {
        switch self {
        case .notStarted(let size): "none of \(counted(size, "item")) recorded yet"
        case let .inProgress(recorded, size): "\(recorded) of \(counted(size, "item")) recorded, all passed so far"
        case .passed(let size): size == 1 ? "the 1 item passed" : "all \(size) items passed"
        case let .exceptions(count, recorded, size):
            "\(counted(count, "exception")) in \(counted(size, "item"))" + (recorded < size ? " (\(recorded) recorded)" : "")
        }
    }
}

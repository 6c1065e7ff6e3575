import FieldbookModel

/// SplitMix64: a small, fast generator whose whole state is its seed, so a failing random
/// case is reproduced by printing one number. Shared by every test target.
/// The generator is the sampled tests' (`SampleDraw`), so SplitMix64 is defined once.
public struct SeededRandom: RandomNumberGenerator {
    private var generator: SampleDraw

    public init(seed: UInt64) { generator = SampleDraw(seed: seed) }

    public mutating func next() -> UInt64 { generator.next() }

    public mutating func chance(_ probability: Double) -> Bool {
        Double.random(in: 0..<1, using: &self) < probability
    }

    public mutating func pick<T>(_ items: [T]) -> T {
        items[Int.random(in: 0..<items.count, using: &self)]
    }
}

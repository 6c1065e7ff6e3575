import FieldbookTestSupport
import Foundation

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


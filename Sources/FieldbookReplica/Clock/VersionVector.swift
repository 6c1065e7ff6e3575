/// What a replica has seen: per site, the highest counter up to which it holds every change,
/// plus the counters above it that arrived out of order.
public struct VersionVector: Sendable, Equatable, Codable {
    /// No replica writes 2^40 (a trillion) changes; a larger counter in input is hostile, and
    /// refusing it keeps every `+ 1` from overflowing and every range small enough to walk.
    public static let maximumCounter: UInt64 = 1 << 40

    /// What the vector holds of one site's counters.
    public struct Entry: Sendable, Equatable, Codable {
        /// Every counter 1...contiguous is held.
        public var contiguous: UInt64
        /// Held counters above `contiguous`, ascending; empty unless changes arrived out of order.
        public var exceptions: [UInt64]

        public init(contiguous: UInt64 = 0, exceptions: [UInt64] = []) {
            self.contiguous = contiguous
            self.exceptions = exceptions
        }

        private enum CodingKeys: String, CodingKey { case contiguous = "c", exceptions = "x" }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            contiguous = try c.decode(UInt64.self, forKey: .contiguous)
            exceptions = try c.decodeIfPresent([UInt64].self, forKey: .exceptions) ?? []
            guard contiguous <= VersionVector.maximumCounter, exceptions.allSatisfy({ $0 <= VersionVector.maximumCounter }) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                        debugDescription: "a version vector counter is out of range"))
            }
            guard exceptions.allSatisfy({ $0 > contiguous + 1 }), zip(exceptions, exceptions.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                        debugDescription: "version vector exceptions must ascend above the contiguous counter"))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(contiguous, forKey: .contiguous)
            if !exceptions.isEmpty { try c.encode(exceptions, forKey: .exceptions) }
        }

        func contains(_ counter: UInt64) -> Bool {
            counter <= contiguous || binarySearch(counter)
        }

        private func binarySearch(_ counter: UInt64) -> Bool {
            var low = 0, high = exceptions.count
            while low < high {
                let mid = (low + high) / 2
                if exceptions[mid] < counter { low = mid + 1 } else { high = mid }
            }
            return low < exceptions.count && exceptions[low] == counter
        }

        /// Adds one counter, folding exceptions into `contiguous` once the gap below them fills.
        public mutating func insert(_ counter: UInt64) {
            guard !contains(counter) else { return }
            if counter == contiguous + 1 {
                contiguous = counter
                // Absorb exceptions that now continue the run.
                var absorbed = 0
                while absorbed < exceptions.count && exceptions[absorbed] == contiguous + 1 {
                    contiguous += 1
                    absorbed += 1
                }
                exceptions.removeFirst(absorbed)
            } else {
                let position = exceptions.firstIndex(where: { $0 > counter }) ?? exceptions.count
                exceptions.insert(counter, at: position)
            }
        }

        /// The highest counter held.
        var highest: UInt64 { exceptions.last ?? contiguous }

        /// Everything either entry holds, without visiting counters one by one (a hostile
        /// vector may claim a huge contiguous run).
        func union(_ other: Entry) -> Entry {
            var contiguous = max(self.contiguous, other.contiguous)
            var merged = Array(Set(exceptions + other.exceptions).filter { $0 > contiguous }).sorted()
            var absorbed = 0
            while absorbed < merged.count && merged[absorbed] == contiguous &+ 1 {
                contiguous += 1
                absorbed += 1
            }
            merged.removeFirst(absorbed)
            return Entry(contiguous: contiguous, exceptions: merged)
        }

        /// Counters held here and not in `other`, as closed ranges.
        func missing(from other: Entry?) -> [ClosedRange<UInt64>] {
            var ranges: [ClosedRange<UInt64>] = []
            func add(_ range: ClosedRange<UInt64>) {
                guard let other else { ranges.append(range); return }
                var start = max(range.lowerBound, other.contiguous + 1)
                guard start <= range.upperBound else { return }
                for held in other.exceptions where held >= start && held <= range.upperBound {
                    if held > start { ranges.append(start...(held - 1)) }
                    start = held + 1
                }
                if start <= range.upperBound { ranges.append(start...range.upperBound) }
            }
            if contiguous > 0 { add(1...contiguous) }
            for counter in exceptions { add(counter...counter) }
            return ranges
        }
    }

    /// Per site, the counters held; a site absent holds nothing.
    public private(set) var entries: [SiteID: Entry]

    public init(entries: [SiteID: Entry] = [:]) {
        self.entries = entries
    }

    public func contains(_ dot: Dot) -> Bool {
        entries[dot.site]?.contains(dot.counter) ?? false
    }

    public mutating func insert(_ dot: Dot) {
        entries[dot.site, default: Entry()].insert(dot.counter)
    }

    /// Holds afterwards everything either vector held.
    public mutating func formUnion(_ other: VersionVector) {
        for (site, entry) in other.entries {
            entries[site] = entries[site].map { $0.union(entry) } ?? entry
        }
    }

    /// The dots this vector holds that `other` lacks: what to send to its owner.
    public func missing(from other: VersionVector) -> [SiteID: [ClosedRange<UInt64>]] {
        var result: [SiteID: [ClosedRange<UInt64>]] = [:]
        for (site, entry) in entries {
            let ranges = entry.missing(from: other.entries[site])
            if !ranges.isEmpty { result[site] = ranges }
        }
        return result
    }

    /// Whether this vector holds every dot `other` holds.
    public func includes(_ other: VersionVector) -> Bool {
        other.missing(from: self).isEmpty
    }

    /// The highest counter held of `site` (0: none).
    public func highest(for site: SiteID) -> UInt64 {
        entries[site]?.highest ?? 0
    }

    /// How many changes the vector covers.
    public var count: UInt64 {
        // Saturating: a hostile vector must not trap the process that reads it.
        entries.values.reduce(0) { total, entry in
            let (sum, overflow) = total.addingReportingOverflow(entry.contiguous &+ UInt64(entry.exceptions.count))
            return overflow ? .max : sum
        }
    }

    // Encoded with sites as keys, so the form is stable and readable.
    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode([String: Entry].self)
        var entries: [SiteID: Entry] = [:]
        for (key, entry) in raw {
            guard let site = SiteID(key) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(key.prefix(40))' is not a site id"))
            }
            entries[site] = entry
        }
        self.entries = entries
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Dictionary(uniqueKeysWithValues: entries.map { ($0.key.text, $0.value) }))
    }
}

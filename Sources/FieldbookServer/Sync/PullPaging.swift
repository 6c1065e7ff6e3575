import FieldbookWire

/// How a pull page is cut, the same for every backend: whole segments in log order, until the
/// page holds at least one change and adding the next segment would pass the limit.
enum PullPaging {
    /// `candidates`: (segment, change count) in log order, segments the client lacks something of.
    static func take(_ candidates: [(seq: Int64, count: Int)], limit: Int) -> (chosen: [Int64], more: Bool) {
        var chosen: [Int64] = []
        var total = 0
        for candidate in candidates {
            if !chosen.isEmpty && total + candidate.count > limit { return (chosen, true) }
            chosen.append(candidate.seq)
            total += candidate.count
        }
        return (chosen, false)
    }

    /// How many candidates to read: each segment holds at least one change.
    static func candidateLimit(_ limit: Int) -> Int { limit + 1 }

    /// The limit a request asks for, within what one page may hold.
    static func limit(_ requested: Int) -> Int { max(1, min(requested, Wire.maximumBatchChanges)) }
}

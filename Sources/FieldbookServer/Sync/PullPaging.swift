import FieldbookReplica

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

    /// A version vector from one aggregate row per site; `counters` reads a site with gaps
    /// change by change.
    static func vector(_ rows: [(site: String, count: Int64, high: Int64)], counters: (String) throws -> [Int64]) rethrows -> VersionVector {
        var entries: [SiteID: VersionVector.Entry] = [:]
        for row in rows {
            guard let site = SiteID(row.site) else { continue }
            if row.count == row.high {
                entries[site] = VersionVector.Entry(contiguous: UInt64(row.high))
                continue
            }
            var entry = VersionVector.Entry()
            for counter in try counters(row.site) { entry.insert(UInt64(counter)) }
            entries[site] = entry
        }
        return VersionVector(entries: entries)
    }
}

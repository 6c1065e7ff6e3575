/// Levenshtein distance, for "did you mean" suggestions (requirement ids, options, commands).
public enum EditDistance {
    public static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The candidate nearest to `typed`, when it is near enough to be a slip of the hand: at
    /// most a third of the word's letters (and at least two) away.
    public static func nearest(to typed: String, among candidates: [String]) -> String? {
        let allowed = max(2, typed.count / 3)
        return candidates.map { (between(typed, $0), $0) }.filter { $0.0 <= allowed }.min { $0 < $1 }?.1
    }
}

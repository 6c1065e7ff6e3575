/// Cuts a list of changes to send into batches of at most `limit` (a push, a bundle record),
/// cutting a site's run of changes only after a signed change, so every batch can be verified
/// by its receiver with what it holds (`ChainVerifier`): the changes of each run go together up
/// to a chain head. A site's writer signs at least every `ChangeSigner.checkpointInterval`
/// changes and every store keeps the signatures it received, so pieces stay far below the
/// limit; a piece longer than the limit (which no release writes) goes alone.
public enum BatchPlanner {
    /// The batches, in the order of `changes`; each site's changes keep their order.
    public static func batches(_ changes: [Change], limit: Int) -> [[Change]] {
        let limit = max(1, limit)
        var bySite: [SiteID: [Change]] = [:]
        for change in changes { bySite[change.dot.site, default: []].append(change) }
        var batches: [[Change]] = []
        var current: [Change] = []
        for site in bySite.keys.sorted() {
            let run = bySite[site]!.sorted { $0.dot.counter < $1.dot.counter }
            var start = 0
            for (index, change) in run.enumerated() {
                let runEnds = index + 1 == run.count || run[index + 1].dot.counter != change.dot.counter + 1
                guard runEnds || change.signature.count == 64 || !change.isChained else { continue }
                let piece = run[start...index]
                if !current.isEmpty && current.count + piece.count > limit {
                    batches.append(current)
                    current = []
                }
                current += piece
                start = index + 1
            }
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }
}

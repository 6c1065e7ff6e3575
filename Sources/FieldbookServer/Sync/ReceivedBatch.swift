import FieldbookReplica
import FieldbookWire
import Foundation

/// A pushed body as received: its bytes (stored and later served as they are) and what they
/// decode to.
public struct ReceivedBatch: Sendable {
    public let bytes: Data
    public let changes: [Change]
    /// `changes[i]`'s `ChangeHash`.
    public let hashes: [Data]

    public init(bytes: Data) throws(ReplicaError) {
        let batch = try ChangeBatch.decode(bytes)
        self.bytes = bytes
        changes = batch.changes
        hashes = batch.hashes ?? batch.changes.map(ChangeHash.of)
    }

    /// A batch encoded here (tests, tools).
    public init(_ changes: [Change]) {
        // Encoding then decoding our own bytes cannot fail.
        try! self.init(bytes: ChangeBatch(changes).encoded())
    }

    /// Per site in the batch, its lowest and highest counter (a segment's summary).
    var siteSpans: [SiteID: ClosedRange<UInt64>] {
        var spans: [SiteID: ClosedRange<UInt64>] = [:]
        for change in changes {
            let counter = change.dot.counter
            spans[change.dot.site] = spans[change.dot.site].map { min($0.lowerBound, counter)...max($0.upperBound, counter) } ?? counter...counter
        }
        return spans
    }

    /// Per site, the counters read to check the batch: one below its lowest change to one
    /// above its highest (what the history checks look at).
    var ranges: [SiteID: ClosedRange<UInt64>] {
        siteSpans.mapValues { ($0.lowerBound > 1 ? $0.lowerBound - 1 : 1)...($0.upperBound + 1) }
    }
}

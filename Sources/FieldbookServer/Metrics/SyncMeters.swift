import FieldbookWire
import Metrics

/// What sync moves: the changes and body bytes of pushes the server accepted, and of the pull
/// pages it served. Made when the application is built, after `ServerMetrics.bootstrap`.
struct SyncMeters: Sendable {
    private let applied = Counter(label: "fieldbook_changes_pushed_total", dimensions: [("result", "applied")])
    private let duplicates = Counter(label: "fieldbook_changes_pushed_total", dimensions: [("result", "duplicate")])
    private let pushedBytes = Counter(label: "fieldbook_pushed_bytes_total")
    private let pulledChanges = Counter(label: "fieldbook_changes_pulled_total")
    private let pulledBytes = Counter(label: "fieldbook_pulled_bytes_total")

    /// An accepted push: its changes, new or held already, and the bytes of its body.
    func pushed(_ result: PushResponse, bytes: Int) {
        applied.increment(by: result.applied)
        duplicates.increment(by: result.duplicates)
        pushedBytes.increment(by: bytes)
    }

    /// A pull page served: its changes and the bytes of its body.
    func pulled(changes: Int, bytes: Int) {
        pulledChanges.increment(by: changes)
        pulledBytes.increment(by: bytes)
    }
}

import FieldbookReplica
import FieldbookReports
import Synchronization

/// The last progress report the workbench replayed, and the log position it was replayed at:
/// the newest change's stamp and the number of changes (a received batch of old changes moves
/// the count, not always the stamp), and the frameworks the catalogs held.
final class ProgressCache: Sendable {
    struct Position: Sendable, Equatable {
        var latest: HLCTimestamp?
        var changes: Int
        var catalogs: [String]
    }

    private let kept = Mutex<(position: Position, report: ProgressReport)?>(nil)

    func report(at position: Position) -> ProgressReport? {
        kept.withLock { $0.flatMap { $0.position == position ? $0.report : nil } }
    }

    func keep(_ report: ProgressReport, at position: Position) {
        kept.withLock { $0 = (position, report) }
    }
}

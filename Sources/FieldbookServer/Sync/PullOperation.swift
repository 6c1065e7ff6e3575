import FieldbookReplica
import FieldbookWire
import Foundation

/// What the server does on a pull, the same on every backend, on one snapshot of the log
/// (`SyncLogStore.reading`): the segments after the cursor that hold something the client's
/// vector lacks, cut into a page (`PullPaging`), served as they were pushed; the last page
/// also carries the log's vector.
struct PullOperation: Sendable {
    let request: PullRequest

    func run(on log: some SyncLog) async throws -> PullPage {
        try await log.requireEngagement()
        let limit = PullPaging.limit(request.limit)
        let candidates = try await log.segments(after: request.after, lackedBy: request.vector, limit: PullPaging.candidateLimit(limit))
        let (chosen, more) = PullPaging.take(candidates, limit: limit)
        let segments = try await log.payloads(at: chosen)
        return PullPage(segments: segments.map(\.payload), count: segments.reduce(0) { $0 + $1.count }, next: more ? chosen.last : nil,
                        vector: more ? nil : try await log.vector())
    }
}

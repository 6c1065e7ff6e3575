import FieldbookReplica
import FieldbookWire
import Foundation

/// What the server does on a push, the same on every backend, inside one write transaction
/// (`SyncLogStore.writing`): a batch applies whole or not at all.
///
/// 1. Hold the engagement (pushes to one engagement run one after the other), 404 if unknown.
/// 2. Read what the checks need: the held neighbours of the batch's changes, its sites' keys
///    and bindings, its entities' kinds, the engagement's key and its revocations.
/// 3. Check (`PushValidation`): the receive path every boundary shares (`ChangeIntake`, 422;
///    403 for a revoked key), then who may write as whom (403). Nothing is written before this passes.
/// 4. Bind the sites this batch introduces to the pusher; keep their keys.
/// 5. Keep the body as received, as one segment, with an index row per new change. A batch
///    holding nothing new (a resend) stores nothing: pushing twice is pushing once.
struct PushOperation: Sendable {
    let batch: ReceivedBatch
    let pusher: String
    let now: UInt64
    let maximumSkewMilliseconds: UInt64

    func run(on log: some SyncLog) async throws -> PushResponse {
        guard try await log.lockEngagement() else { throw ServerError.unknownEngagement(log.engagement) }
        return try await apply(on: log)
    }

    /// Steps 2 to 5, with the engagement held already (a revocation holds it from before).
    func apply(on log: some SyncLog) async throws -> PushResponse {
        let ranges = batch.ranges
        let sites = Array(ranges.keys)
        // A pushed revocation is checked against the engagement's key, made now if need be.
        let engagementKey = try await log.engagementKey(create: batch.changes.contains { $0.kind == .revocation })
        let lookups = PushLookups(held: try await log.heldLinks(in: ranges), keys: try await log.keys(of: sites),
                                  bindings: try await log.bindings(of: sites), kinds: try await log.kinds(of: Set(batch.changes.map(\.entity))),
                                  revokingSite: try engagementKey.map { try ChangeSigner(rawRepresentation: $0.privateKey).site },
                                  points: engagementKey == nil ? [:] : Dictionary(try await log.revocationRows().map { ($0.site, $0.point) },
                                                                                  uniquingKeysWith: { first, _ in first }))
        let outcome = try PushValidation.validate(batch, pusher: pusher, now: now, maximumSkewMilliseconds: maximumSkewMilliseconds,
                                                  lookups: lookups)
        try await log.bind(outcome.bindings)
        try await log.storeKeys(outcome.accepted.keys)
        let fresh = outcome.accepted.fresh
        if !fresh.isEmpty {
            try await log.append(NewSegment(payload: batch.bytes, count: batch.changes.count, spans: batch.siteSpans,
                                            changes: fresh, hashes: outcome.accepted.hashes))
        }
        return PushResponse(received: batch.changes.count, applied: fresh.count, duplicates: batch.changes.count - fresh.count)
    }
}

import FieldbookReplica
import FieldbookWire
import Foundation

/// A backend that opens transactions on an engagement's log. `ServerStorage`'s sync
/// operations follow from that, written once here for every backend.
protocol SyncLogStore: ServerStorage {
    associatedtype Log: SyncLog

    /// Runs `body` in one write transaction: all of it commits, or none of it.
    func writing<T: Sendable>(_ engagement: String, _ body: @escaping @Sendable (Log) async throws -> T) async throws -> T
    /// Runs `body` on one snapshot of the log, so a page, its "more" answer and its closing
    /// vector agree.
    func reading<T: Sendable>(_ engagement: String, _ body: @escaping @Sendable (Log) async throws -> T) async throws -> T
}

extension SyncLogStore {
    public func push(_ batch: ReceivedBatch, engagement: String, pusher: String, now: UInt64, maximumSkewMilliseconds: UInt64) async throws -> PushResponse {
        let push = PushOperation(batch: batch, pusher: pusher, now: now, maximumSkewMilliseconds: maximumSkewMilliseconds)
        return try await writing(engagement) { try await push.run(on: $0) }
    }

    public func pull(engagement: String, request: PullRequest) async throws -> PullPage {
        try await reading(engagement) { try await PullOperation(request: request).run(on: $0) }
    }

    public func engagementKey(_ engagement: String) async throws -> Data {
        var key = try await reading(engagement) { try await $0.engagementKey(create: false) }
        if key == nil {
            key = try await writing(engagement) { log in
                guard try await log.engagementExists() else { throw ServerError.unknownEngagement(engagement) }
                return try await log.engagementKey(create: true)
            }
        }
        guard let key else { throw ServerError.unknownEngagement(engagement) }
        return try ChangeSigner(rawRepresentation: key.privateKey).publicKey
    }

    public func revokeKey(engagement: String, site: SiteID, lastValid: UInt64?, reason: String?, now: UInt64) async throws -> RevocationRecord {
        let revoke = RevokeOperation(site: site, lastValid: lastValid, reason: reason, now: now)
        return try await writing(engagement) { try await revoke.run(on: $0) }
    }

    public func vector(engagement: String) async throws -> VersionVector {
        try await reading(engagement) { log in
            try await log.requireEngagement()
            return try await log.vector()
        }
    }
}

import Dispatch
import FieldbookReplica
import FieldbookWire
import Foundation
import Metrics

/// The storage as the server uses it, with its use measured: `fieldbook_db_operations_in_flight`
/// (calls running now) beside `fieldbook_db_connections_max` (what the backend may hold at once),
/// and `fieldbook_db_operation_duration_seconds` by operation.
///
/// Neither PostgresNIO's pool nor GRDB's says how many of its connections are leased, so the
/// server counts its own calls: each holds one connection while it runs (a PostgreSQL query or
/// transaction, a SQLite read or write), or waits for one. More calls in flight than connections
/// means requests queue for the database.
struct MeteredStorage: ServerStorage {
    let base: any ServerStorage
    private let inFlight = Meter(label: "fieldbook_db_operations_in_flight")

    init(_ base: any ServerStorage) {
        self.base = base
        Gauge(label: "fieldbook_db_connections_max").record(base.connectionLimit)
    }

    var connectionLimit: Int { base.connectionLimit }

    private func measure<T>(_ operation: String, _ body: () async throws -> T) async throws -> T {
        inFlight.increment()
        let started = DispatchTime.now().uptimeNanoseconds
        defer {
            inFlight.decrement()
            Timer(label: "fieldbook_db_operation_duration_seconds", dimensions: [("operation", operation)])
                .recordNanoseconds(DispatchTime.now().uptimeNanoseconds - started)
        }
        return try await body()
    }

    func createEngagement(id: String, name: String, now: UInt64) async throws -> EngagementInfo {
        try await measure("create_engagement") { try await base.createEngagement(id: id, name: name, now: now) }
    }

    func engagement(_ id: String) async throws -> EngagementInfo? {
        try await measure("engagement") { try await base.engagement(id) }
    }

    func engagements() async throws -> [EngagementInfo] {
        try await measure("engagements") { try await base.engagements() }
    }

    func createToken(assessor: String, engagement: String, publicKey: Data?, role: TokenRole, expires: UInt64?,
                     now: UInt64) async throws -> IssuedToken {
        try await measure("create_token") {
            try await base.createToken(assessor: assessor, engagement: engagement, publicKey: publicKey, role: role, expires: expires, now: now)
        }
    }

    func revokeToken(id: String, now: UInt64) async throws -> Bool {
        try await measure("revoke_token") { try await base.revokeToken(id: id, now: now) }
    }

    func tokens() async throws -> [TokenRecord] {
        try await measure("tokens") { try await base.tokens() }
    }

    func token(hash: String) async throws -> TokenRecord? {
        try await measure("token") { try await base.token(hash: hash) }
    }

    func push(_ batch: ReceivedBatch, engagement: String, pusher: String, now: UInt64, maximumSkewMilliseconds: UInt64) async throws -> PushResponse {
        try await measure("push") {
            try await base.push(batch, engagement: engagement, pusher: pusher, now: now, maximumSkewMilliseconds: maximumSkewMilliseconds)
        }
    }

    func pull(engagement: String, request: PullRequest) async throws -> PullPage {
        try await measure("pull") { try await base.pull(engagement: engagement, request: request) }
    }

    func vector(engagement: String) async throws -> VersionVector {
        try await measure("vector") { try await base.vector(engagement: engagement) }
    }

    func engagementKey(_ engagement: String) async throws -> Data {
        try await measure("engagement_key") { try await base.engagementKey(engagement) }
    }

    func revokeKey(engagement: String, site: SiteID, lastValid: UInt64?, reason: String?, now: UInt64) async throws -> RevocationRecord {
        try await measure("revoke_key") { try await base.revokeKey(engagement: engagement, site: site, lastValid: lastValid, reason: reason, now: now) }
    }

    func ping() async throws {
        try await measure("ping") { try await base.ping() }
    }

    func close() async {
        await base.close()
    }
}

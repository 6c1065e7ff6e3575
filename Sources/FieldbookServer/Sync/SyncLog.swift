import FieldbookModel
import FieldbookReplica
import FieldbookWire
import Foundation

/// One transaction's access to one engagement's change log: the few questions and writes that
/// push and pull are made of, each answered by a backend in its own SQL (`SQLiteSyncLog`,
/// `PostgresSyncLog`). The steps themselves are written once, in `PushOperation` and
/// `PullOperation`; a backend decides nothing.
///
/// Async because PostgreSQL answers over the network; SQLite answers synchronously, on the
/// thread that holds its transaction (`CallingThreadExecutor`).
protocol SyncLog {
    var engagement: String { get }

    /// Whether the engagement exists; in a push, it is held until commit from here on, so pushes
    /// to one engagement run one after the other (PostgreSQL locks its row; SQLite has one writer).
    func lockEngagement() async throws -> Bool
    /// Whether the engagement exists, without holding it (pull, vector).
    func engagementExists() async throws -> Bool

    /// The held changes of each site with counters in its range: their hashes and links.
    func heldLinks(in ranges: [SiteID: ClosedRange<UInt64>]) async throws -> [SiteID: [UInt64: HeldLink]]
    /// The public keys held for those of `sites` seen before.
    func keys(of sites: [SiteID]) async throws -> [SiteID: Data]
    /// The assessors those of `sites` that are bound write as.
    func bindings(of sites: [SiteID]) async throws -> [SiteID: String]
    /// The kinds of those of `entities` the log holds.
    func kinds(of entities: Set<EntityID>) async throws -> [EntityID: EntityKind]

    /// Binds each (unbound) site to its assessor.
    func bind(_ bindings: [SiteID: String]) async throws
    /// Keeps each site's public key, unless one is kept already.
    func storeKeys(_ keys: [SiteID: Data]) async throws
    /// Stores an accepted push body as one segment, with its index rows.
    func append(_ segment: NewSegment) async throws

    /// Up to `limit` segments after `after`, in log order, that hold a counter above what
    /// `vector` holds without gaps (filtered in SQL): each one's position and change count.
    func segments(after: Int64, lackedBy vector: VersionVector, limit: Int) async throws -> [(seq: Int64, count: Int)]
    /// The bodies and change counts of the segments at `positions`, in log order.
    func payloads(at positions: [Int64]) async throws -> [(payload: Data, count: Int)]
    /// One row per site: how many changes the log holds of it and its highest counter.
    func siteSummaries() async throws -> [(site: String, count: Int64, high: Int64)]
    /// Every counter the log holds of `site`, in order.
    func counters(of site: String) async throws -> [Int64]

    /// The engagement's key (`EngagementKeyRow`); made now when `create` and none exists.
    func engagementKey(create: Bool) async throws -> EngagementKeyRow?
    /// The engagement's revocations, one per revoked site.
    func revocationRows() async throws -> [RevocationRow]
    /// Records a revocation (replacing the site's earlier one) and the engagement key's clock.
    func storeRevocation(_ row: RevocationRow, keyClock: UInt64) async throws
    /// Revokes every unrevoked token of `assessor` on the engagement; returns their ids.
    func revokeTokens(of assessor: String, now: UInt64) async throws -> [String]
}

/// An accepted push as the log keeps it: the body as received (served to pullers as it is) and
/// what indexes it.
struct NewSegment {
    let payload: Data
    /// Changes in the body, duplicates included.
    let count: Int
    /// Per site in the body, its lowest and highest counter (what a pull filters on).
    let spans: [SiteID: ClosedRange<UInt64>]
    /// The changes new to the log, in batch order, and their hashes.
    let changes: [Change]
    let hashes: [Data]
}

extension SyncLog {
    func requireEngagement() async throws {
        guard try await engagementExists() else { throw ServerError.unknownEngagement(engagement) }
    }

    /// Every dot the log holds: one aggregate row per site without gaps; only a site with gaps
    /// is read change by change.
    func vector() async throws -> VersionVector {
        var entries: [SiteID: VersionVector.Entry] = [:]
        for row in try await siteSummaries() {
            guard let site = SiteID(row.site) else { continue }
            if row.count == row.high {
                entries[site] = VersionVector.Entry(contiguous: UInt64(row.high))
                continue
            }
            var entry = VersionVector.Entry()
            for counter in try await counters(of: row.site) { entry.insert(UInt64(counter)) }
            entries[site] = entry
        }
        return VersionVector(entries: entries)
    }
}

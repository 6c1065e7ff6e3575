import FieldbookModel
import FieldbookReplica
import Foundation
import GRDB

/// Where a workspace keeps its changes (schema v14): in segments of up to `capacity` changes,
/// each one change batch as `ChangeBatch.segment` writes it (format 4, every link and
/// signature kept, about sixty bytes a change), one row of `segment` apiece. A change's narrow
/// row (`ChangeRow`) names its segment and position; a received page is stored as a few
/// segments instead of a wide row per change, so applying a change costs its merge and a narrow
/// row, not eighteen columns and their bytes (issue 33).
enum SegmentStore {
    /// Changes per segment: a reader that wants one change (an entity's live values, a held
    /// link) decodes its segment, so segments stay small enough for that to be cheap.
    static let capacity = 256

    /// Stores `changes` in order as segments; each change's segment id and position.
    static func store(_ changes: [Change], in db: Database) throws -> [(segment: Int64, position: Int)] {
        var placed: [(segment: Int64, position: Int)] = []
        placed.reserveCapacity(changes.count)
        let insert = try db.cachedStatement(sql: "INSERT INTO segment (bytes) VALUES (?)")
        for start in stride(from: 0, to: changes.count, by: capacity) {
            let end = min(start + capacity, changes.count)
            try insert.execute(arguments: [ChangeBatch.segment(changes[start..<end])])
            let segment = db.lastInsertedRowID
            for position in 0..<(end - start) { placed.append((segment, position)) }
        }
        return placed
    }

    /// Stores again, in full segments, changes of one site that were applied one at a time
    /// (a local write applies each edit before making the next, which must see it), and drops
    /// the one-change segments they were in: a write of many edits reads back like a page.
    static func repack(_ changes: [Change], in db: Database) throws {
        guard changes.count > 1 else { return }
        let locate = try db.cachedStatement(sql: "SELECT segment FROM change_row WHERE \(ChangeRow.rowByDot)")
        var former: Set<Int64> = []
        for change in changes {
            let dot: StatementArguments = [change.dot.site.text, Int64(bitPattern: change.dot.counter)]
            guard let segment = try Int64.fetchOne(locate, arguments: dot) else {
                throw StoreError.invalid("The change \(change.dot) was not stored; nothing was written.")
            }
            former.insert(segment)
        }
        let placed = try store(changes, in: db)
        let move = try db.cachedStatement(sql: "UPDATE change_row SET segment = ?, position = ? WHERE \(ChangeRow.rowByDot)")
        for (change, place) in zip(changes, placed) {
            try move.execute(arguments: [place.segment, place.position, change.dot.site.text, Int64(bitPattern: change.dot.counter)])
        }
        let drop = try db.cachedStatement(sql: "DELETE FROM segment WHERE id = ?")
        for segment in former { try drop.execute(arguments: [segment]) }
    }

    /// Deletes segments no change row names any more (after a re-key or a revocation took
    /// changes out of the log).
    static func deleteUnreferenced(in db: Database) throws {
        try db.execute(sql: "DELETE FROM segment WHERE id NOT IN (SELECT DISTINCT segment FROM change_row)")
    }
}

/// Reads changes out of their segments, decoding each segment once while it is held (a
/// reader of the whole log decodes every segment once; one of an entity only its few).
/// Each change gets its site's public key from `site_key`, as every reader of the log did.
struct SegmentCache {
    private let db: Database
    private let keys: [SiteID: Data]
    private var decoded: [Int64: [Change]] = [:]
    /// Decoded segments held at most: enough for a batch's entities, bounded for a huge log.
    private static let held = 1024

    init(_ db: Database) throws {
        self.db = db
        var keys: [SiteID: Data] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT site, public_key FROM site_key") {
            if let site = SiteID(row[0] as String) { keys[site] = row[1] }
        }
        self.keys = keys
    }

    /// The change at `position` of `segment`.
    mutating func change(_ segment: Int64, _ position: Int) throws -> Change {
        let changes = try self.segment(segment)
        guard position >= 0, position < changes.count else {
            throw StoreError.invalid("The change log names change \(position) of segment \(segment), which holds \(changes.count); the workspace file is damaged.")
        }
        return changes[position]
    }

    private mutating func segment(_ id: Int64) throws -> [Change] {
        if let known = decoded[id] { return known }
        guard let bytes = try Data.fetchOne(db.cachedStatement(sql: "SELECT bytes FROM segment WHERE id = ?"), arguments: [id]) else {
            throw StoreError.invalid("The change log names segment \(id), which the workspace does not hold; the workspace file is damaged.")
        }
        var changes: [Change]
        if let known = DecodedSegments.shared.changes(in: bytes) {
            changes = known
        } else {
            do {
                changes = try ChangeBatch.decodeSegment(bytes)
            } catch {
                throw StoreError.invalid("The change log's segment \(id) cannot be read (\(error)); the workspace file is damaged.")
            }
            DecodedSegments.shared.keep(changes, for: bytes)
        }
        for index in changes.indices {
            let change = changes[index]
            if let key = keys[change.dot.site] { changes[index] = change.with(publicKey: key, signature: change.signature) }
        }
        if decoded.count >= Self.held { decoded.removeAll(keepingCapacity: true) }
        decoded[id] = changes
        return changes
    }
}

/// Segments decoded in this process, by their bytes: decoding is a function of the bytes alone,
/// so an entry is right for any workspace and any transaction, whatever was written or rolled
/// back since. Successive pages of a sync read back the live changes of the entities they
/// touch, often from the same segments; each is decoded once instead of once per page.
final class DecodedSegments: @unchecked Sendable {
    static let shared = DecodedSegments()
    /// Segments kept at most (some 250,000 changes); all are dropped when it is reached.
    private static let capacity = 1024
    private let lock = NSLock()
    private var entries: [Data: [Change]] = [:]

    func changes(in bytes: Data) -> [Change]? {
        lock.withLock { entries[bytes] }
    }

    func keep(_ changes: [Change], for bytes: Data) {
        lock.withLock {
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[bytes] = changes
        }
    }
}

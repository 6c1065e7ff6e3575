import FieldbookModel
import FieldbookReplica
import Foundation
import GRDB

/// Applies new changes to the log incrementally inside the caller's transaction: store them
/// (segments and narrow rows), mark what they supersede as no longer live, then re-materialise
/// only the entities the batch touched. Never a replay of the whole log. What it is given has
/// passed the receive path (`ChangeIntake`) or is a local edit: new, valid and verified.
struct ChangeApplier {
    let db: Database

    /// `heldKinds`: the kinds of the batch's entities held before it, when the receive path
    /// already asked (nil: asked here).
    func apply(_ fresh: [Change], hashes: [Data], heldKinds: [EntityID: EntityKind]? = nil) throws {
        var insert = try ChangeInsert(db)
        defer { insert.finish() }
        let known = try db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM change WHERE site = ? AND counter = ?)")
        let remember = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO pending_supersession (site, counter, entity, field, element) VALUES (?, ?, ?, ?, ?)
            """)
        let pendingFor = try db.cachedStatement(sql: "SELECT entity, field, element FROM pending_supersession WHERE site = ? AND counter = ?")
        let claim = try db.cachedStatement(sql: "DELETE FROM pending_supersession WHERE site = ? AND counter = ?")
        var pendingExists = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM pending_supersession)") ?? false

        // The live changes, before the batch, of each entity it touches that is held: what its
        // changes may supersede, and what the materializer merges them with. Entities new to
        // the workspace (a colleague's new risks, most of a first sync) have none to read.
        let entities = Set(fresh.lazy.map(\.entity))
        let kinds = try heldKinds ?? WorkspaceReceiverContext(db: db).kinds(of: entities)
        var liveBefore: [EntityID: [Change]] = [:]
        let held = entities.filter { kinds[$0] != nil }
        if !held.isEmpty {
            var reader = try ChangeRow.Reader(db)
            for entity in held { liveBefore[entity] = try reader.liveChanges(of: entity, in: db) }
        }

        // Liveness is settled in memory for the whole batch: a change superseded by a later one
        // of the same batch is stored dead rather than stored and updated. Supersession acts
        // within one register (entity, field, link element), exactly as in the pure core: a
        // tombstone lists every live dot it saw, but only marks the values of its own
        // `deleted` register as replaced.
        var live: [Bool] = []
        live.reserveCapacity(fresh.count)
        var superseded: Set<Dot> = []
        // Where each dot sits in the batch, for supersedes lists that name an earlier change of
        // the same batch: not kept at all when no change of the batch supersedes anything.
        let namesSuperseded = fresh.contains { !$0.supersedes.isEmpty }
        var position: [Dot: Int] = [:]
        if namesSuperseded { position.reserveCapacity(fresh.count) }
        for (index, change) in fresh.enumerated() {
            let key = change.registerKey
            // Superseded in its register before it arrived (out-of-order delivery)?
            var isLive = change.operation != .remove
            if pendingExists {
                let dotArguments: StatementArguments = [change.dot.site.text, Int64(bitPattern: change.dot.counter)]
                let waiting = try Row.fetchAll(pendingFor, arguments: dotArguments)
                if !waiting.isEmpty {
                    if waiting.contains(where: { $0["entity"] == key.entity.rawValue && $0["field"] == key.field
                        && ($0["element"] as String) == (key.element ?? "") }) {
                        isLive = false
                    }
                    try claim.execute(arguments: dotArguments)
                }
            }
            live.append(isLive)
            if namesSuperseded { position[change.dot] = index }
            for dot in change.supersedes {
                if let earlier = position[dot] {
                    if fresh[earlier].registerKey == key { live[earlier] = false }
                    continue
                }
                if let held = liveBefore[change.entity]?.first(where: { $0.dot == dot }) {
                    if held.registerKey == key { superseded.insert(dot) }
                    continue
                }
                let dotArguments: StatementArguments = [dot.site.text, Int64(bitPattern: dot.counter)]
                if try Bool.fetchOne(known, arguments: dotArguments) == false {
                    try remember.execute(arguments: dotArguments + [key.entity.rawValue, key.field, key.element ?? ""])
                    pendingExists = true
                }
            }
        }
        let placed = try SegmentStore.store(fresh, in: db)
        for index in fresh.indices {
            try insert.insert(fresh[index], hash: hashes[index], live: live[index], segment: placed[index].segment, position: placed[index].position)
        }
        try insert.advanceHeads()
        if !superseded.isEmpty {
            let markDead = try db.cachedStatement(sql: "UPDATE change_row SET live = 0 WHERE \(ChangeRow.rowByDot)")
            for dot in superseded { try markDead.execute(arguments: [dot.site.text, Int64(bitPattern: dot.counter)]) }
            for (entity, changes) in liveBefore { liveBefore[entity] = changes.filter { !superseded.contains($0.dot) } }
        }
        var materializer = try Materializer(db)
        defer { materializer.finish() }
        try materializer.refresh(fresh, live: live, liveBefore: liveBefore)
    }
}

/// What the receive path asks a workspace, answered from its log inside the apply's transaction.
struct WorkspaceReceiverContext: ReceiverContext {
    let db: Database

    /// The site's head from its `site` row (the usual answer: a page continues what is held);
    /// any other held change in the range (a duplicate, a gap filled below) from its segment.
    func held(_ site: SiteID, in range: ClosedRange<UInt64>) throws -> [UInt64: HeldLink] {
        var found: [UInt64: HeldLink] = [:]
        let head = try SiteHead.of(site, in: db)
        var reader: ChangeRow.Reader?
        let statement = try db.cachedStatement(sql: "SELECT \(ChangeRow.locator) FROM change WHERE site = ? AND counter BETWEEN ? AND ?")
        let rows = try Row.fetchCursor(statement, arguments: [site.text, Int64(bitPattern: range.lowerBound), Int64(bitPattern: range.upperBound)])
        while let row = try rows.next() {
            let counter = UInt64(bitPattern: row[1])
            if let head, head.counter == counter {
                found[counter] = HeldLink(hash: head.hash, prev: head.prev)
                continue
            }
            if reader == nil { reader = try ChangeRow.Reader(db) }
            let (change, hash) = try reader!.entry(row)
            found[counter] = HeldLink(hash: hash, prev: change.prev)
        }
        return found
    }

    func publicKey(of site: SiteID) throws -> Data? {
        try Data.fetchOne(db.cachedStatement(sql: "SELECT public_key FROM site_key WHERE site = ?"), arguments: [site.text])
    }

    func author(of site: SiteID) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT author FROM site_key WHERE site = ?"), arguments: [site.text])
    }

    func kind(of entity: EntityID) throws -> EntityKind? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT kind FROM entity WHERE id = ?"), arguments: [entity.rawValue]).flatMap(EntityKind.init)
    }

    /// In chunks of 500 ids: a page of 5,000 changes touches about a thousand entities.
    func kinds(of entities: Set<EntityID>) throws -> [EntityID: EntityKind] {
        var kinds: [EntityID: EntityKind] = [:]
        let ids = entities.map(\.rawValue)
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            for row in try Row.fetchAll(db, sql: "SELECT id, kind FROM entity WHERE id IN (\(placeholders))", arguments: StatementArguments(chunk)) {
                if let id = EntityID(row[0] as String), let kind = EntityKind(rawValue: row[1]) { kinds[id] = kind }
            }
        }
        return kinds
    }

    func revoker() throws -> SiteID? {
        try Meta.get(db, .engagementKey).flatMap { Data(base64Encoded: $0) }.map(SiteID.init(publicKey:))
    }

    /// Every receive and local write asks: the statement is built once.
    private static let heldRevocations = """
        SELECT \(ChangeRow.locator.split(separator: ",").map { "c." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", "))
        FROM entity e JOIN change c ON c.entity = e.id AND c.live = 1 WHERE e.kind = 'revocation' ORDER BY c.seq
        """

    /// Through `entity_by_kind` and `change_by_entity`: nothing to read while none is held. Read
    /// as the changes they are, so a held revocation is understood as a carried one is.
    func revocations() throws -> [SiteID: RevocationPoint] {
        var changes: [Change] = []
        let rows = try Row.fetchCursor(db.cachedStatement(sql: Self.heldRevocations))
        var reader: ChangeRow.Reader?
        while let row = try rows.next() {
            if reader == nil { reader = try ChangeRow.Reader(db) }
            changes.append(try reader!.change(row))
        }
        guard let signer = changes.first?.dot.site else { return [:] }
        // Held revocations were checked on their way in: whoever signed them is the revoker here.
        return RevocationPoint.points(in: changes, from: signer, over: [:])
    }

    /// Stores the keys and authors of sites the batch introduced.
    func remember(keys: [SiteID: Data], authors: [SiteID: String]) throws {
        let statement = try db.cachedStatement(sql: "INSERT INTO site_key (site, public_key, author) VALUES (?, ?, ?) ON CONFLICT (site) DO NOTHING")
        for (site, key) in keys {
            guard let author = authors[site] else { continue }
            try statement.execute(arguments: [site.text, key, author])
        }
    }
}

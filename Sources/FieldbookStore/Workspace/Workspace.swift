import CSQLiteTuning
import FieldbookModel
import FieldbookReplica
import Foundation
import GRDB

/// One assessor's workspace: the SQLite database under `.fieldbook/`, its evidence
/// objects, and this replica's identity and clock. Every write is one transaction.
///
/// `Workspace` itself is the store: open and create, `write` (the one door local edits go
/// through, guarded by the domain's rules), `apply` (the one door received changes go through,
/// `ChangeIntake`), and reads of the log and state (`Queries/`). The other concerns sit beside
/// it as their own types over the same store: `domain`, `exchange` and `libraries`.
public final class Workspace: Sendable {
    public let location: WorkspaceLocation
    public let identity: WorkspaceIdentity
    public let objects: ObjectStore
    /// Signs every change this replica writes; its public key names the site.
    public let signer: ChangeSigner
    /// `package`: the benchmarks' raw inserts (`Benchmarks/FieldbookBench/RawInsert.swift`) write through it.
    package let database: DatabaseQueue
    /// Pinned libraries as parsed, by the SHA-256 of their bytes.
    let parsedLibraries: ParsedLibraryCache
    /// The engagement's catalogs once built (`catalogs(mappings:)`).
    let catalogCache = CatalogCache()

    private init(location: WorkspaceLocation, identity: WorkspaceIdentity, signer: ChangeSigner, database: DatabaseQueue) {
        self.location = location
        self.identity = identity
        self.signer = signer
        self.database = database
        self.objects = ObjectStore(folder: location.objects, scratch: location.scratch)
        self.parsedLibraries = ParsedLibraryCache(folder: location.cache.appendingPathComponent("libraries", isDirectory: true),
                                                  scratch: location.scratch)
    }

    // MARK: Concerns

    /// The engagement's rules and the operations front ends call (`Domain/`).
    public var domain: WorkspaceDomain { WorkspaceDomain(workspace: self) }
    /// Bundles and sync: what peers lack, the objects changes name, what peers held (`Exchange/`).
    public var exchange: WorkspaceExchange { WorkspaceExchange(workspace: self) }
    /// Pinned libraries and the engagement's catalogs built from them (`Libraries/`).
    public var libraries: WorkspaceLibraries { WorkspaceLibraries(workspace: self) }

    // MARK: Opening and creating

    /// Opens the workspace at `location`, refusing a missing one, a database that is not
    /// Fieldbook's, and one written by a newer schema.
    public static func open(_ location: WorkspaceLocation) throws -> Workspace {
        // Opened by path (--workspace, FIELDBOOK_WORKSPACE, a found folder): no search upward here.
        guard location.exists else { throw StoreError.noWorkspace(searchedFrom: location.root.path, upward: false) }
        let database = try connect(location)
        let (identity, signer) = try StoreFailure.mapping {
            try database.read { db in
                guard let engagement = try Meta.get(db, .engagement).flatMap(EntityID.init),
                      let site = try Meta.get(db, .site).flatMap(SiteID.init),
                      let assessor = try Meta.get(db, .assessor),
                      let key = try Meta.get(db, .signingKey).flatMap({ Data(base64Encoded: $0) }) else {
                    throw StoreError.notFieldbookDatabase(location.database.path)
                }
                let signer = try ChangeSigner(rawRepresentation: key)
                guard signer.site == site else {
                    throw StoreError.invalid("The workspace's signing key does not match its site id; the workspace is damaged.")
                }
                return (WorkspaceIdentity(engagement: engagement, site: site, assessor: assessor), signer)
            }
        }
        return Workspace(location: location, identity: identity, signer: signer, database: database)
    }

    /// Creates a new workspace and replica of `engagement`. When `engagementName` is given,
    /// the engagement's name and scope are written as its first changes. On any failure the
    /// half-made `.fieldbook/` folder is removed again.
    public static func create(at location: WorkspaceLocation, engagement: EntityID, assessor: String,
                              signer: ChangeSigner = ChangeSigner(), engagementName: String?, scope: String?,
                              riskAcceptanceLevel: RiskLevel? = nil, now: UInt64 = WallClock.now()) throws -> Workspace {
        let fm = FileManager.default
        if fm.fileExists(atPath: location.metadataFolder.path) {
            throw StoreError.alreadyInitialized(location.root.path)
        }
        let trimmed = assessor.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.utf8.count <= ChangeValidation.maximumAuthorLength, !trimmed.contains(where: \.isNewline) else {
            throw StoreError.invalid("The assessor name must be 1 to \(ChangeValidation.maximumAuthorLength) characters on one line.")
        }
        let rootExisted = fm.fileExists(atPath: location.root.path)
        do {
            try fm.createDirectory(at: location.objects, withIntermediateDirectories: true)
            try fm.createDirectory(at: location.scratch, withIntermediateDirectories: true)
            let database = try connect(location, creating: true)
            try StoreFailure.mapping {
                try database.write { db in
                    try Meta.set(db, .engagement, engagement.rawValue)
                    try Meta.set(db, .site, signer.site.text)
                    try Meta.set(db, .signingKey, signer.rawRepresentation.base64EncodedString())
                    try Meta.set(db, .assessor, trimmed)
                    try db.execute(sql: "INSERT INTO site_key (site, public_key, author) VALUES (?, ?, ?)",
                                   arguments: [signer.site.text, signer.publicKey, trimmed])
                    try Meta.set(db, .schemaVersion, String(Schema.version))
                }
            }
            let workspace = Workspace(location: location, identity: WorkspaceIdentity(engagement: engagement, site: signer.site, assessor: trimmed),
                                      signer: signer, database: database)
            var edits: [LocalEdit] = []
            if let engagementName { edits.append(.set(engagement, .engagement, field: "name", .text(engagementName))) }
            if let scope { edits.append(.set(engagement, .engagement, field: "scope", .text(scope))) }
            if let riskAcceptanceLevel {
                edits.append(.set(engagement, .engagement, field: EngagementField.riskAcceptanceLevel.rawValue, .enumCase(riskAcceptanceLevel.rawValue)))
            }
            if !edits.isEmpty { try workspace.write(edits, now: now) }
            return workspace
        } catch {
            try? fm.removeItem(at: location.metadataFolder)
            // A folder made for this workspace goes too; rmdir(2) removes it only while empty.
            if !rootExisted { rmdir(location.root.path) }
            if let storeError = error as? StoreError { throw storeError }
            throw StoreError.storageUnavailable(ObjectStore.describe(error))
        }
    }

    private static func connect(_ location: WorkspaceLocation, creating: Bool = false) throws -> DatabaseQueue {
        fieldbook_sqlite_tune()
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.label = "fieldbook.workspace"
        configuration.prepareDatabase { db in
            // A larger page cache and memory-mapped reads: applying a large batch touches
            // indexes far beyond SQLite's 2 MB default cache.
            try db.execute(sql: "PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456; PRAGMA temp_store = MEMORY")
        }
        return try StoreFailure.mapping(path: location.database.path) {
            let database = try DatabaseQueue(path: location.database.path, configuration: configuration)
            try database.write { db in
                let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                let hasTables = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master)") ?? false
                if applicationID != Schema.applicationID && (hasTables || !creating) {
                    throw StoreError.notFieldbookDatabase(location.database.path)
                }
                if let found = try Meta.get(db, .schemaVersion).flatMap(Int.init), found > Schema.version {
                    throw StoreError.newerSchema(found: found, supported: Schema.version)
                }
                if try Schema.migrator.hasBeenSuperseded(db) {
                    throw StoreError.newerSchema(found: Schema.version + 1, supported: Schema.version)
                }
            }
            try Schema.migrator.migrate(database)
            try database.write { db in
                if let found = try Meta.get(db, .schemaVersion).flatMap(Int.init), found < Schema.version {
                    try Meta.set(db, .schemaVersion, String(Schema.version))
                }
            }
            return database
        }
    }

    // MARK: Writing

    /// Turns local edits into changes stamped by this replica's clock, chained to this site's
    /// history, and applies them in one transaction; the last is signed (a chain head, see
    /// `ChangeSigner.chain`). Returns the changes written.
    @discardableResult
    public func write(_ edits: [LocalEdit], now: UInt64 = WallClock.now()) throws -> [Change] {
        try LocalEditRules.check(edits, in: self)
        defer { if edits.contains(where: { $0.kind == .library }) { catalogCache.reset() } }
        return try StoreFailure.mapping {
            try database.write { db in
                try Self.refuseIfRevoked(identity.site, in: db)
                return try Self.append(edits, signedBy: signer, as: identity, in: db, now: now)
            }
        }
    }

    /// `write`'s transaction body: the edits as changes of `identity`'s site, chained and
    /// signed by `signer`, applied. A re-key calls it with the new site's key, in its own transaction.
    static func append(_ edits: [LocalEdit], signedBy signer: ChangeSigner, as identity: WorkspaceIdentity, in db: Database,
                       now: UInt64) throws -> [Change] {
        var clock = HybridLogicalClock(last: HLCTimestamp(rawValue: UInt64(try Meta.get(db, .clock) ?? "0") ?? 0))
        var counter = UInt64(try Meta.get(db, .counter) ?? "0") ?? 0
        var previous = counter == 0 ? ChangeHash.genesis
            : try SiteHead.hash(of: Dot(site: identity.site, counter: counter), in: db) ?? ChangeHash.genesis
        let applier = ChangeApplier(db: db)
        let context = WorkspaceReceiverContext(db: db)
        var written: [Change] = []
        for (index, edit) in edits.enumerated() {
            counter += 1
            let made = try ChangeFactory.change(for: edit, dot: Dot(site: identity.site, counter: counter),
                                                hlc: clock.tick(now: now), author: identity.assessor,
                                                reading: DatabaseReading(db: db))
            do {
                try ChangeIntake.checkLocal(made, context: context)
            } catch let refusal as ReplicaError {
                throw StoreError.refused(refusal)
            }
            let (change, hash) = signer.chain(made, after: previous, head: index == edits.count - 1)
            try applier.apply([change], hashes: [hash])
            previous = hash
            written.append(change)
        }
        try SegmentStore.repack(written, in: db)
        try Meta.set(db, .clock, String(clock.last.rawValue))
        try Meta.set(db, .counter, String(counter))
        return written
    }

    /// Applies changes from another replica in one transaction, through the one receive path
    /// (`ChangeIntake`): refused whole when one is invalid, unsigned, forged, cut from its
    /// history, claims another author than its key signs as, or is stamped beyond the
    /// clock-skew bound; duplicates are skipped. `hashes`: the decoder's, when it has them.
    public func apply(remote changes: [Change], hashes: [Data]? = nil, now: UInt64 = WallClock.now(),
                      maximumSkewMilliseconds: UInt64 = HybridLogicalClock.defaultMaximumSkew) throws -> ApplyReport {
        // A received pin changes the catalogs this workspace resolves against.
        defer { if changes.contains(where: { $0.kind == .library }) { catalogCache.reset() } }
        return try StoreFailure.mapping {
            try database.write { db in
                var clock = HybridLogicalClock(last: HLCTimestamp(rawValue: UInt64(try Meta.get(db, .clock) ?? "0") ?? 0),
                                               maximumSkewMilliseconds: maximumSkewMilliseconds)
                let context = WorkspaceReceiverContext(db: db)
                let accepted: ChangeIntake.Accepted
                do {
                    accepted = try ChangeIntake.check(changes, hashes: hashes, context: context, clock: clock,
                                                      localSite: identity.site, now: now)
                } catch let refusal as ReplicaError {
                    throw StoreError.refused(refusal)
                }
                try context.remember(keys: accepted.keys, authors: accepted.authors)
                let conflictsBefore = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM conflict") ?? 0
                try ChangeApplier(db: db).apply(accepted.fresh, hashes: accepted.hashes, heldKinds: accepted.heldKinds)
                let withdrawn = try Self.withdrawRevoked(after: accepted.fresh, ownSite: identity.site, in: db, now: now)
                if let latest = accepted.fresh.max(by: { $0.hlc < $1.hlc }) {
                    try? clock.receive(latest.hlc, from: latest.dot.site, now: now)
                    try Meta.set(db, .clock, String(clock.last.rawValue))
                }
                // Our own changes may come back from a peer (a restored laptop): never reuse a counter.
                let ownHighest = try Int64.fetchOne(db, sql: "SELECT MAX(counter) FROM change WHERE site = ?", arguments: [identity.site.text]) ?? 0
                if UInt64(ownHighest) > UInt64(try Meta.get(db, .counter) ?? "0") ?? 0 {
                    try Meta.set(db, .counter, String(ownHighest))
                }
                let conflictsAfter = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM conflict") ?? 0
                return ApplyReport(received: changes.count, applied: accepted.fresh.count, duplicates: accepted.duplicates,
                                   entities: Set(accepted.fresh.lazy.map(\.entity)).count, newConflicts: max(0, conflictsAfter - conflictsBefore),
                                   withdrawn: withdrawn)
            }
        }
    }

    /// Reads inside one consistent snapshot.
    public func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try StoreFailure.mapping { try database.read(body) }
    }
}

/// What applying received changes did: how many were new, already held, which entities
/// they touched and how many conflicts they opened.
public struct ApplyReport: Sendable, Equatable, Codable {
    public let received: Int
    public let applied: Int
    public let duplicates: Int
    public let entities: Int
    public let newConflicts: Int
    /// Changes of a revoked site beyond its revocation, held here before it came and taken out.
    public var withdrawn: Int = 0
}

/// The wall clock in Unix milliseconds, read by callers of the pure merge core.
public enum WallClock {
    public static func now() -> UInt64 {
        if let fixed = DebugEnvironment.value("FIELDBOOK_NOW_MS").flatMap(UInt64.init) { return fixed }
        return UInt64(Date().timeIntervalSince1970 * 1000)
    }
}

/// Today's date in UTC, from the wall clock the rest of Fieldbook reads.
public enum Today {
    /// `YYYY-MM-DD`.
    public static func utc() -> String {
        String(Timestamps.rfc3339(milliseconds: WallClock.now()).prefix(10))
    }
}

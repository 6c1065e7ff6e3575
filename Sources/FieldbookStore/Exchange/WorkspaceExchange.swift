import FieldbookModel
import FieldbookReplica
import Foundation
import GRDB

/// What sync and bundles need from a workspace (`workspace.exchange`): the changes a peer
/// lacks, the evidence they reference, and a record of what was handed out and what peers held.
/// Exchange reads and writes through the store; it never merges (the store's `apply` does).
public struct WorkspaceExchange: Sendable {
    let workspace: Workspace

    /// Changes held here that a replica holding `vector` lacks, site by site in counter order
    /// (each run of a site's history together, for `BatchPlanner`). Only the counters above
    /// what the vector holds contiguously are read.
    public func changes(missingFrom vector: VersionVector) throws -> [Change] {
        try workspace.read { db in
            var reader = try ChangeRow.Reader(db)
            var result: [Change] = []
            for row in try Row.fetchAll(db, sql: "SELECT DISTINCT site FROM change ORDER BY site") {
                let site = try reader.site(row[0])
                let after = vector.entries[site]?.contiguous ?? 0
                let statement = try db.cachedStatement(sql: "SELECT \(ChangeRow.locator) FROM change WHERE site = ? AND counter > ? ORDER BY counter")
                let rows = try Row.fetchCursor(statement, arguments: [site.text, Int64(bitPattern: after)])
                while let row = try rows.next() {
                    let change = try reader.change(row)
                    if !vector.contains(change.dot) { result.append(change) }
                }
            }
            return result
        }
    }

    /// The SHA-256 of every object (evidence file, pinned library) the given changes name, sorted.
    public static func referencedObjects(in changes: [Change]) -> [String] {
        objectReferences(in: changes).keys.sorted()
    }

    /// Every object the given changes name, with the kind of entity naming it (evidence when
    /// both kinds name the same bytes), for counting evidence files and libraries apart.
    public static func objectReferences(in changes: [Change]) -> [String: EntityKind] {
        var found: [String: EntityKind] = [:]
        for change in changes {
            guard let field = change.kind.objectField, change.field == field, case .text(let sha) = change.value else { continue }
            if found[sha] != .evidence { found[sha] = change.kind }
        }
        return found
    }

    /// The objects this workspace's entities reference: every live value of an evidence
    /// file's or a pinned library's `sha256` (values in conflict and deleted entities
    /// included), with the kind naming each. What a sync downloads when missing, and what
    /// `missingObjects()` counts. The live changes of entities of those kinds, through
    /// `entity_by_kind` and `change_by_entity`.
    public func referencedObjects() throws -> [String: EntityKind] {
        try workspace.read { db in
            var found: [String: EntityKind] = [:]
            var reader = try ChangeRow.Reader(db)
            // Kinds come from the model, never from input.
            let kinds = EntityKind.objectKinds.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            let rows = try Row.fetchCursor(db, sql: """
                SELECT c.site, c.counter, c.segment, c.position, e.kind FROM entity e
                JOIN change c ON c.entity = e.id AND c.live = 1 WHERE e.kind IN (\(kinds))
                """)
            while let row = try rows.next() {
                let change = try reader.change(row)
                guard let kind = EntityKind(rawValue: row[4]), change.operation == .set, change.field == kind.objectField,
                      case .text(let sha) = change.value, EntitySchema.isSHA256(sha) else { continue }
                if found[sha] != .evidence { found[sha] = kind }
            }
            return found
        }
    }

    /// Referenced objects (`referencedObjects()`) this workspace does not hold, sorted.
    public func missingObjects() throws -> [String: EntityKind] {
        try referencedObjects().filter { !workspace.objects.contains($0.key) }
    }

    /// Everything this workspace has handed out in bundles so far.
    public func exportedVector() throws -> VersionVector {
        try workspace.read { db in try Self.decodeVector(try Meta.get(db, .exported)) }
    }

    public func recordExport(_ vector: VersionVector) throws {
        try StoreFailure.mapping {
            try workspace.database.write { db in
                var union = try Self.decodeVector(try Meta.get(db, .exported))
                union.formUnion(vector)
                try Meta.set(db, .exported, try Self.encodeVector(union))
            }
        }
    }

    /// Everything known to have left this workspace: every exported bundle's vector and every
    /// peer's (servers' included) as last recorded.
    public func handedOutVector() throws -> VersionVector {
        try workspace.read { db in
            var union = try Self.decodeVector(try Meta.get(db, .exported))
            for text in try String.fetchAll(db, sql: "SELECT vector FROM peer") { union.formUnion(try Self.decodeVector(text)) }
            return union
        }
    }

    /// Remembers what a peer held when it last sent us its work.
    public func recordPeer(site: String, assessor: String, vector: VersionVector, at now: UInt64 = WallClock.now()) throws {
        try StoreFailure.mapping {
            try workspace.database.write { db in
                var known = try Self.decodeVector(try String.fetchOne(db, sql: "SELECT vector FROM peer WHERE site = ?", arguments: [site]))
                known.formUnion(vector)
                try db.execute(sql: """
                    INSERT INTO peer (site, assessor, vector, last_seen) VALUES (?, ?, ?, ?)
                    ON CONFLICT (site) DO UPDATE SET assessor = excluded.assessor, vector = excluded.vector, last_seen = excluded.last_seen
                    """, arguments: [site, assessor, try Self.encodeVector(known), Int64(now)])
            }
        }
    }

    /// Per site seen in the log: whose it is, how many of its changes we hold, and (for
    /// peers that sent us their work) how many of ours they still lack.
    public func peers() throws -> [PeerSummary] {
        let mine = try workspace.versionVector()
        return try workspace.read { db in
            var assessors: [String: String] = [:]
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT site, COUNT(*) AS n, MAX(author) AS author FROM change GROUP BY site") {
                counts[row["site"]] = row["n"]
                assessors[row["site"]] = row["author"]
            }
            var known: [String: (String, VersionVector, UInt64)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT site, assessor, vector, last_seen FROM peer") {
                known[row["site"]] = (row["assessor"], try Self.decodeVector(row["vector"]), UInt64(row["last_seen"] as Int64))
            }
            let sites = Set(counts.keys).union(known.keys).subtracting([workspace.identity.site.text]).sorted()
            return sites.map { site in
                let peer = known[site]
                return PeerSummary(site: site, assessor: peer?.0 ?? assessors[site] ?? "?", changesFromThem: counts[site] ?? 0,
                                   theyLack: peer.map { mine.missing(from: $0.1).values.reduce(0) { $0 + $1.reduce(0) { $0 + Int($1.count) } } },
                                   lastSeen: peer?.2)
            }
        }
    }

    static func decodeVector(_ text: String?) throws -> VersionVector {
        guard let text else { return VersionVector() }
        return try JSONDecoder().decode(VersionVector.self, from: Data(text.utf8))
    }

    static func encodeVector(_ vector: VersionVector) throws -> String {
        try JSONDocument.text(vector, .compact)
    }

    /// Moves verified evidence files into the object store; returns the ones that are new.
    public func adoptObjects(_ files: [String: URL]) throws -> [String] {
        var added: [String] = []
        let fm = FileManager.default
        do {
            for (sha, file) in files.sorted(by: { $0.key < $1.key }) {
                if workspace.objects.contains(sha) { try? fm.removeItem(at: file); continue }
                let destination = workspace.objects.path(for: sha)
                try fm.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                try fm.moveItem(at: file, to: destination)
                added.append(sha)
            }
        } catch {
            removeObjects(added)
            throw StoreError.storageUnavailable(ObjectStore.describe(error))
        }
        return added
    }

    /// Takes back evidence files adopted for a refused import or download, with the fan-out
    /// folders they created (rmdir(2) leaves a folder that still holds other files).
    public func removeObjects(_ shas: [String]) {
        for sha in shas {
            let file = workspace.objects.path(for: sha)
            try? FileManager.default.removeItem(at: file)
            rmdir(file.deletingLastPathComponent().path)
        }
    }
}

/// A peer as last heard from (bundle or sync): who, what came from them, what they lack.
public struct PeerSummary: Sendable, Equatable {
    public let site: String
    public let assessor: String
    public let changesFromThem: Int
    /// Our changes this peer did not hold when it last sent us its work (nil: never sent).
    public let theyLack: Int?
    public let lastSeen: UInt64?
}

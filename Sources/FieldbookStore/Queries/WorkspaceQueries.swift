import FieldbookModel
import FieldbookReplica
import GRDB

/// What the CLI and reports read from a workspace, each in one consistent snapshot.
extension Workspace {
    public func records(_ kind: EntityKind, includeDeleted: Bool = false) throws -> [EntityRecord] {
        try read { db in
            try EntityRecord.fetchAll(db, kind: kind, where: includeDeleted ? "1" : "e.deleted = 0",
                                      order: kind == .risk ? "k.score DESC, e.created_hlc" : "e.created_hlc, e.id")
        }
    }

    public func record(_ id: EntityID) throws -> EntityRecord? {
        try read { db in
            guard let kindText = try String.fetchOne(db, sql: "SELECT kind FROM entity WHERE id = ?", arguments: [id.rawValue]),
                  let kind = EntityKind(rawValue: kindText) else { return nil }
            return try EntityRecord.fetchAll(db, kind: kind, where: "e.id = ?", arguments: [id.rawValue]).first
        }
    }

    /// Every entity of one kind, typed (risks by score, others by creation).
    public func all<Entity: TypedEntity>(_ type: Entity.Type, includeDeleted: Bool = false) throws -> [Entity] {
        try records(Entity.kind, includeDeleted: includeDeleted).map(Entity.init(unchecked:))
    }

    /// One entity, typed; nil when absent or of another kind.
    public func entity<Entity: TypedEntity>(_ type: Entity.Type, _ id: EntityID) throws -> Entity? {
        try record(id).flatMap(Entity.init)
    }

    /// The engagement this workspace holds (its name and scope once set).
    public func engagement() throws -> EngagementRecord? {
        try entity(EngagementRecord.self, identity.engagement)
    }

    /// The result recorded for a requirement, if any.
    public func result(for requirement: RequirementID) throws -> EntityRecord? {
        try record(EntityID.result(for: requirement))
    }

    /// Entities of `kind` (not deleted) linking to a requirement.
    public func entities(_ kind: EntityKind, linkedTo requirement: RequirementID) throws -> [EntityRecord] {
        try read { db in
            try EntityRecord.fetchAll(db, kind: kind, where: "e.deleted = 0 AND e.id IN (SELECT entity FROM link WHERE target = ?)",
                                      arguments: [requirement.qualified], order: "e.created_hlc")
        }
    }

    /// Resolves what a user typed for a risk, evidence file or finding: the full id or a
    /// unique prefix of at least four characters.
    public func resolveEntity(_ input: String, kind: EntityKind) throws -> EntityID {
        let text = input.trimmingCharacters(in: .whitespaces).lowercased()
        let matches = try read { db in
            try String.fetchAll(db, sql: "SELECT id FROM entity WHERE kind = ? AND (id = ? OR (length(?) >= 4 AND id LIKE ? ESCAPE '\\')) LIMIT 6",
                                arguments: [kind.rawValue, text, text, Self.likePrefix(text)])
        }
        if matches.contains(text), let id = EntityID(text) { return id }
        switch matches.count {
        case 1: return EntityID(matches[0])!
        case 0: throw StoreError.notFound("No \(kind.rawValue) '\(input)' in this workspace; 'fieldbook \(kind.rawValue) list' shows the ids.")
        default: throw StoreError.invalid("'\(input)' matches several \(kind.rawValue) ids (\(matches.prefix(3).joined(separator: ", ")), ...); type more of the id.")
        }
    }

    private static func likePrefix(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    /// Every open conflict with each competing value.
    public func conflicts() throws -> [Conflict] {
        try read { db in
            let entities = try Row.fetchAll(db, sql: "SELECT DISTINCT c.entity, e.kind FROM conflict c JOIN entity e ON e.id = c.entity ORDER BY c.entity")
            return try entities.flatMap { row -> [Conflict] in
                guard let id = EntityID(row["entity"] as String), let kind = EntityKind(rawValue: row["kind"]) else { return [] }
                let live = try ChangeRow.fetch(db, where: "entity = ? AND live = 1", arguments: [id.rawValue])
                return EntityState(id: id, kind: kind, changes: live).conflicts
            }
        }
    }

    /// The live values of one field right now (for resolving by assessor).
    public func liveChanges(of entity: EntityID) throws -> [Change] {
        try read { db in try ChangeRow.fetch(db, where: "entity = ? AND live = 1", arguments: [entity.rawValue]) }
    }

    /// Every change of one entity, oldest first.
    public func history(of entity: EntityID) throws -> [Change] {
        try read { db in try ChangeRow.fetch(db, where: "entity = ?", arguments: [entity.rawValue]) }
    }

    /// The log, filtered, oldest first, with each change's superseded values.
    public func log(entity: EntityID? = nil, assessor: String? = nil, sinceMilliseconds: UInt64? = nil) throws -> [LogEntry] {
        try read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let entity { conditions.append("entity = ?"); arguments += [entity.rawValue] }
            if let assessor { conditions.append("author = ?"); arguments += [assessor] }
            if let sinceMilliseconds { conditions.append("hlc >= ?"); arguments += [Int64(bitPattern: sinceMilliseconds << 16)] }
            let changes = try ChangeRow.fetch(db, where: conditions.isEmpty ? "1" : conditions.joined(separator: " AND "), arguments: arguments)
            // Previous values: the changes each one superseded, looked up in one pass.
            let wanted = Set(changes.flatMap(\.supersedes))
            var previous: [Dot: Change] = [:]
            if !wanted.isEmpty {
                let known = Dictionary(changes.map { ($0.dot, $0) }, uniquingKeysWith: { a, _ in a })
                for dot in wanted {
                    if let change = known[dot] { previous[dot] = change; continue }
                    previous[dot] = try ChangeRow.fetch(db, where: "site = ? AND counter = ?",
                                                        arguments: [dot.site.text, Int64(bitPattern: dot.counter)]).first
                }
            }
            return changes.map { change in
                LogEntry(change: change, previous: change.operation == .set
                    ? change.supersedes.compactMap { previous[$0] }.filter { $0.field == change.field } : [])
            }
        }
    }

    /// When the newest change in the log was made; nil for an empty log. Replicas holding the
    /// same changes agree on it, and it moves only when the content does.
    public func latestChange() throws -> HLCTimestamp? {
        try read { db in try Int64.fetchOne(db, sql: "SELECT MAX(hlc) FROM change").map { HLCTimestamp(rawValue: UInt64(bitPattern: $0)) } }
    }

    /// What this replica holds: a version vector of every change in the log. Sites whose
    /// counters have no gaps (the usual case) come from one aggregate row each; only a site
    /// with gaps is read change by change.
    public func versionVector() throws -> VersionVector {
        try read { db in
            var entries: [SiteID: VersionVector.Entry] = [:]
            var reader = try ChangeRow.Reader(db)
            for row in try Row.fetchAll(db, sql: "SELECT site, COUNT(*) AS n, MAX(counter) AS high FROM change GROUP BY site") {
                let site = try reader.site(row["site"])
                let count: Int64 = row["n"], high: Int64 = row["high"]
                if count == high {
                    entries[site] = VersionVector.Entry(contiguous: UInt64(high))
                    continue
                }
                var entry = VersionVector.Entry()
                for counter in try Int64.fetchAll(db, sql: "SELECT counter FROM change WHERE site = ? ORDER BY counter", arguments: [site.text]) {
                    entry.insert(UInt64(counter))
                }
                entries[site] = entry
            }
            return VersionVector(entries: entries)
        }
    }

    /// Everyone who has written to this engagement, sorted.
    public func assessors() throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT DISTINCT author FROM change ORDER BY author") }
    }

    public func summary() throws -> WorkspaceSummary {
        try read { db in
            let counts = try Row.fetchAll(db, sql: "SELECT kind, COUNT(*) AS n FROM entity WHERE deleted = 0 GROUP BY kind")
            var entities: [String: Int] = [:]
            for row in counts { entities[row["kind"]] = row["n"] }
            var assessed: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT framework, COUNT(*) AS n FROM result WHERE status IS NOT NULL AND status != 'not-assessed' GROUP BY framework
                """) { assessed[row["framework"]] = row["n"] }
            return WorkspaceSummary(
                changes: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM change") ?? 0,
                ownChanges: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM change WHERE site = ?", arguments: [identity.site.text]) ?? 0,
                conflicts: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM conflict") ?? 0,
                entities: entities, assessed: assessed,
                sites: try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT site) FROM change") ?? 0)
        }
    }
}

/// A change as `log` shows it, with the values it superseded.
public struct LogEntry: Sendable {
    public let change: Change
    /// The values this change replaced (empty for a first write or a link change).
    public let previous: [Change]
}

/// Counts for `status`: changes, entities by kind, conflicts, evidence.
public struct WorkspaceSummary: Sendable {
    public let changes: Int
    public let ownChanges: Int
    public let conflicts: Int
    public let entities: [String: Int]
    public let assessed: [String: Int]
    public let sites: Int
}

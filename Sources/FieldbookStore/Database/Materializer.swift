import FieldbookModel
import FieldbookReplica
import GRDB

/// Rebuilds the current-state rows of the entities a batch touched from their live changes,
/// using the same merge rules as the in-memory replica (`EntityState`). The rows every entity
/// gets (entity, its kind's row, links) are written through statements bound once per batch.
struct Materializer {
    private let db: Database
    private var entityRow: BoundStatement
    private var linkRow: BoundStatement
    private var kindRows: [EntityKind: BoundStatement] = [:]

    init(_ db: Database) throws {
        self.db = db
        entityRow = try BoundStatement(db, sql: """
            INSERT INTO entity (id, kind, deleted, conflicted, created_hlc, updated_hlc, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                deleted = excluded.deleted, conflicted = excluded.conflicted,
                created_hlc = min(created_hlc, excluded.created_hlc),
                updated_by = CASE WHEN excluded.updated_hlc > updated_hlc
                    OR (excluded.updated_hlc = updated_hlc AND excluded.updated_by > updated_by)
                    THEN excluded.updated_by ELSE updated_by END,
                updated_hlc = max(updated_hlc, excluded.updated_hlc)
            """)
        linkRow = try BoundStatement(db, sql: "INSERT INTO link (entity, field, target) VALUES (?, ?, ?)")
    }

    /// Finalizes the statements; call once done.
    func finish() {
        entityRow.finish()
        linkRow.finish()
        for statement in kindRows.values { statement.finish() }
    }

    /// `live[i]`: whether `fresh[i]` is still live after the batch; `liveBefore`: the live
    /// changes, before the batch and not superseded by it, of each entity held before it (an
    /// entity absent from it is new: its state is the batch's live changes alone).
    mutating func refresh(_ fresh: [Change], live: [Bool], liveBefore: [EntityID: [Change]] = [:]) throws {
        var byEntity: [EntityID: [Int]] = [:]
        for (index, change) in fresh.enumerated() { byEntity[change.entity, default: []].append(index) }
        // Which of these entities had conflicts before (read once, for all of them).
        let conflicted = Set(try String.fetchAll(db, sql: "SELECT DISTINCT entity FROM conflict"))
        for (id, indices) in byEntity {
            let before = liveBefore[id]
            let isNew = before == nil
            let current = (before ?? []) + indices.filter { live[$0] }.map { fresh[$0] }
            // Newest by (HLC, author), the same order the entity row's upsert uses across
            // batches, so who changed an entity last does not depend on arrival order.
            let newest = indices.max { (fresh[$0].hlc, fresh[$0].author) < (fresh[$1].hlc, fresh[$1].author) }!
            let state = EntityState(id: id, kind: fresh[indices[0]].kind, changes: current)
            let conflicts = state.conflicts
            try writeEntity(state, conflicted: !conflicts.isEmpty, oldest: indices.map { fresh[$0].hlc }.min()!,
                            newest: fresh[newest])
            try writeFields(state)
            // Links change only with a link's own add or remove; conflict rows only where
            // there were or are conflicts.
            if indices.contains(where: { fresh[$0].operation != .set }) { try writeLinks(state, isNew: isNew) }
            if conflicted.contains(id.rawValue) || !conflicts.isEmpty {
                try db.cachedStatement(sql: "DELETE FROM conflict WHERE entity = ?").execute(arguments: [id.rawValue])
                for conflict in conflicts {
                    try db.cachedStatement(sql: "INSERT INTO conflict (entity, field) VALUES (?, ?)").execute(arguments: [id.rawValue, conflict.field])
                }
            }
        }
    }

    private mutating func writeEntity(_ state: EntityState, conflicted: Bool, oldest: HLCTimestamp, newest: Change) throws {
        entityRow.text(state.id.rawValue)
        entityRow.text(state.kind.rawValue)
        entityRow.integer(state.isDeleted ? 1 : 0)
        entityRow.integer(conflicted ? 1 : 0)
        entityRow.integer(Int64(bitPattern: oldest.rawValue))
        entityRow.integer(Int64(bitPattern: newest.hlc.rawValue))
        entityRow.text(newest.author)
        try entityRow.run()
    }

    private mutating func writeLinks(_ state: EntityState, isNew: Bool) throws {
        if !isNew { try db.cachedStatement(sql: "DELETE FROM link WHERE entity = ?").execute(arguments: [state.id.rawValue]) }
        for field in state.links.keys {
            for target in state.linked(field) {
                linkRow.text(state.id.rawValue)
                linkRow.text(field)
                linkRow.text(target)
                try linkRow.run()
            }
        }
    }

    /// One row per entity in its kind's table, holding each field's shown value and the
    /// columns derived from it (NULL where they cannot be derived yet).
    private mutating func writeFields(_ state: EntityState) throws {
        var row = try kindRows[state.kind] ?? BoundStatement(db, sql: Self.fieldRowSQL(state.kind))
        defer { kindRows[state.kind] = row }
        row.text(state.id.rawValue)
        for field in EntitySchema.columns(of: state.kind) { row.value(state.value(field)) }
        switch state.kind {
        case .result:
            let requirement = state.id.resultRequirement
            row.text(requirement?.qualified ?? "")
            row.text(requirement?.framework.rawValue ?? "")
        case .applicability:
            row.text(state.id.applicabilityControl?.qualified ?? "")
        case .risk:
            if let rating = RiskRating(fields: state.value) {
                row.integer(Int64(rating.score))
                row.text(rating.level.rawValue)
            } else {
                row.integer(nil)
                row.text(nil)
            }
        default: break
        }
        try row.run()
    }

    /// A kind's row statement: its register fields, then the columns derived from them.
    private static func fieldRowSQL(_ kind: EntityKind) -> String {
        var columns = ["id"] + EntitySchema.columns(of: kind)
        switch kind {
        case .result: columns += ["requirement", "framework"]
        case .applicability: columns.append("control")
        case .risk: columns += ["score", "level"]
        default: break
        }
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        return "INSERT OR REPLACE INTO \(kind.rawValue) (\(columns.joined(separator: ", "))) VALUES (\(placeholders))"
    }
}

import FieldbookModel
import FieldbookReplica
import GRDB

/// Rebuilds the current-state rows of the entities a batch touched from their live changes,
/// using the same merge rules as the in-memory replica (`EntityState`).
struct Materializer {
    let db: Database

    /// `live[i]`: whether `fresh[i]` is still live after the batch.
    func refresh(_ fresh: [Change], live: [Bool]) throws {
        var byEntity: [EntityID: [Int]] = [:]
        for (index, change) in fresh.enumerated() { byEntity[change.entity, default: []].append(index) }
        // Entities new to this workspace have no live changes but the batch's: those are not
        // read back from the log (the common case of a first sync, or a colleague's new risks).
        let known = try WorkspaceReceiverContext(db: db).kinds(of: Set(byEntity.keys))
        // Which of these entities had conflicts before (read once, for all of them).
        let conflicted = Set(try String.fetchAll(db, sql: "SELECT DISTINCT entity FROM conflict"))
        // One decoder for the batch: site ids parsed and keys read once, not per entity.
        var decoder = try ChangeRow.Decoder(db)
        let liveChanges = try db.cachedStatement(sql: "SELECT \(ChangeRow.stateColumns) FROM change WHERE entity = ? AND live = 1 ORDER BY seq")
        for (id, indices) in byEntity {
            let changes = indices.map { fresh[$0] }
            var current: [Change] = []
            if known[id] == nil {
                current = indices.filter { live[$0] }.map { fresh[$0] }
            } else {
                let rows = try Row.fetchCursor(liveChanges, arguments: [id.rawValue])
                while let row = try rows.next() { current.append(try decoder.change(row)) }
            }
            // Newest by (HLC, author), the same order the upsert below uses across batches,
            // so who changed an entity last does not depend on arrival order.
            try refresh(id, kind: changes[0].kind, live: current, newest: changes.max { ($0.hlc, $0.author) < ($1.hlc, $1.author) }!,
                        oldestHLC: changes.map(\.hlc).min()!, rewriteLinks: changes.contains { $0.operation != .set },
                        hadConflicts: conflicted.contains(id.rawValue), isNew: known[id] == nil)
        }
    }

    private func refresh(_ id: EntityID, kind: EntityKind, live: [Change], newest: Change, oldestHLC: HLCTimestamp,
                         rewriteLinks: Bool, hadConflicts: Bool, isNew: Bool) throws {
        let state = EntityState(id: id, kind: kind, changes: live)
        let conflicts = state.conflicts
        try db.cachedStatement(sql: """
            INSERT INTO entity (id, kind, deleted, conflicted, created_hlc, updated_hlc, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                deleted = excluded.deleted, conflicted = excluded.conflicted,
                created_hlc = min(created_hlc, excluded.created_hlc),
                updated_by = CASE WHEN excluded.updated_hlc > updated_hlc
                    OR (excluded.updated_hlc = updated_hlc AND excluded.updated_by > updated_by)
                    THEN excluded.updated_by ELSE updated_by END,
                updated_hlc = max(updated_hlc, excluded.updated_hlc)
            """).execute(arguments: [id.rawValue, kind.rawValue, state.isDeleted, !conflicts.isEmpty,
                             Int64(bitPattern: oldestHLC.rawValue), Int64(bitPattern: newest.hlc.rawValue), newest.author])
        try writeFields(state)
        // Links change only with a link's own add or remove; conflict rows only where there
        // were or are conflicts.
        guard rewriteLinks || hadConflicts || !conflicts.isEmpty else { return }
        if rewriteLinks { try rewriteLinkRows(id, state, isNew: isNew) }
        if hadConflicts || !conflicts.isEmpty {
            try db.cachedStatement(sql: "DELETE FROM conflict WHERE entity = ?").execute(arguments: [id.rawValue])
            for conflict in conflicts {
                try db.cachedStatement(sql: "INSERT INTO conflict (entity, field) VALUES (?, ?)").execute(arguments: [id.rawValue, conflict.field])
            }
        }
    }

    private func rewriteLinkRows(_ id: EntityID, _ state: EntityState, isNew: Bool) throws {
        if !isNew { try db.cachedStatement(sql: "DELETE FROM link WHERE entity = ?").execute(arguments: [id.rawValue]) }
        let insert = try db.cachedStatement(sql: "INSERT INTO link (entity, field, target) VALUES (?, ?, ?)")
        for field in state.links.keys {
            for target in state.linked(field) {
                try insert.execute(arguments: [id.rawValue, field, target])
            }
        }
    }

    /// One row per entity in its kind's table, holding each field's shown value and the
    /// columns derived from it (NULL where they cannot be derived yet).
    private func writeFields(_ state: EntityState) throws {
        var values: [(any DatabaseValueConvertible)?] = [state.id.rawValue]
        for field in Schema.columns(of: state.kind.rawValue) { values.append(Self.sqlValue(state.value(field))) }
        switch state.kind {
        case .result:
            let requirement = state.id.resultRequirement
            values += [requirement?.qualified ?? "", requirement?.framework.rawValue ?? ""]
        case .applicability:
            values.append(state.id.applicabilityControl?.qualified ?? "")
        case .risk:
            if case .integer(let l)? = state.value("likelihood"), case .integer(let i)? = state.value("impact") {
                values += [l * i, RiskLevel(likelihood: Int(l), impact: Int(i)).rawValue]
            } else {
                values += [nil, nil]
            }
        default: break
        }
        try db.cachedStatement(sql: Self.fieldRowSQL[state.kind]!).execute(arguments: StatementArguments(values))
    }

    /// Each kind's row statement, made once rather than per entity.
    private static let fieldRowSQL: [EntityKind: String] = Dictionary(uniqueKeysWithValues: EntityKind.allCases.map { kind in
        var columns = ["id"] + Schema.columns(of: kind.rawValue)
        switch kind {
        case .result: columns += ["requirement", "framework"]
        case .applicability: columns.append("control")
        case .risk: columns += ["score", "level"]
        default: break
        }
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        return (kind, "INSERT OR REPLACE INTO \(kind.rawValue) (\(columns.joined(separator: ", "))) VALUES (\(placeholders))")
    })

    static func sqlValue(_ value: FieldValue?) -> (any DatabaseValueConvertible)? {
        guard let value else { return nil }
        let (_, text, integer) = ChangeRow.split(value)
        return text ?? integer
    }
}

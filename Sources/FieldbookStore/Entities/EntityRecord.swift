import FieldbookModel
import FieldbookReplica
import GRDB

/// An entity's current state as materialised: shown field values, present links, whether
/// it is deleted, which fields are in conflict, and when and by whom it last changed.
public struct EntityRecord: Sendable, Equatable {
    public let id: EntityID
    public let kind: EntityKind
    public let fields: [String: FieldValue]
    public let links: [String: [String]]
    public let deleted: Bool
    public let conflictedFields: [String]
    public let created: HLCTimestamp
    public let updated: HLCTimestamp
    public let updatedBy: String

    public func text(_ field: String) -> String? {
        switch fields[field] {
        case .text(let s)?, .enumCase(let s)?, .date(let s)?, .link(let s)?: s
        default: nil
        }
    }

    public func integer(_ field: String) -> Int64? {
        if case .integer(let n)? = fields[field] { return n }
        return nil
    }

    /// The requirements a risk, evidence file or finding links to (empty for other kinds).
    public var requirements: [String] { links[RiskField.requirements.name] ?? [] }

    /// The AI systems a risk, evidence file, finding or impact assessment concerns.
    public var systems: [String] { links[RiskField.systems.name] ?? [] }

    /// What a person reads first in a list: the title, file name, name or summary.
    public var headline: String {
        switch kind {
        case .risk, .finding: text(RiskField.title.name) ?? ""
        case .evidence: text(EvidenceField.filename.name) ?? ""
        case .system: text(SystemField.name.name) ?? ""
        case .engagement: text(EngagementField.name.name) ?? ""
        case .impact: text(ImpactField.summary.name) ?? ""
        case .library: text(LibraryField.name.name) ?? ""
        case .result, .applicability: ""
        }
    }
}

extension EntityRecord {
    /// Records of one kind, optionally filtered by a condition on `entity e` / `k` (the
    /// kind's table), in the given order. Links and conflicts come in two extra queries.
    static func fetchAll(_ db: Database, kind: EntityKind, where condition: String = "1",
                         arguments: StatementArguments = [], order: String = "e.id") throws -> [EntityRecord] {
        let columns = EntitySchema.columns(of: kind)
        let select = columns.map { "k.\($0)" }.joined(separator: ", ")
        let rows = try Row.fetchAll(db, sql: """
            SELECT e.id, e.deleted, e.created_hlc, e.updated_hlc, e.updated_by\(select.isEmpty ? "" : ", " + select)
            FROM entity e JOIN \(kind.rawValue) k ON k.id = e.id
            WHERE e.kind = '\(kind.rawValue)' AND (\(condition)) ORDER BY \(order)
            """, arguments: arguments)
        guard !rows.isEmpty else { return [] }
        let ids = rows.map { $0["id"] as String }
        let wanted = Set(ids)
        var links: [String: [String: [String]]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT l.entity, l.field, l.target FROM link l JOIN entity e ON e.id = l.entity
            WHERE e.kind = ? ORDER BY l.entity, l.field, l.target
            """, arguments: [kind.rawValue]) where wanted.contains(row["entity"]) {
            links[row["entity"], default: [:]][row["field"], default: []].append(row["target"])
        }
        var conflicts: [String: [String]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT c.entity, c.field FROM conflict c JOIN entity e ON e.id = c.entity WHERE e.kind = ? ORDER BY c.field
            """, arguments: [kind.rawValue]) where wanted.contains(row["entity"]) {
            conflicts[row["entity"], default: []].append(row["field"])
        }
        let shapes = EntitySchema.fields(of: kind)
        return rows.compactMap { row in
            guard let id = EntityID(row["id"] as String) else { return nil }
            var fields: [String: FieldValue] = [:]
            for column in columns {
                if let value = Self.value(row[column] as DatabaseValue, shape: shapes[column]) { fields[column] = value }
            }
            return EntityRecord(id: id, kind: kind, fields: fields, links: links[id.rawValue] ?? [:], deleted: row["deleted"],
                                conflictedFields: conflicts[id.rawValue] ?? [],
                                created: HLCTimestamp(rawValue: UInt64(bitPattern: row["created_hlc"])),
                                updated: HLCTimestamp(rawValue: UInt64(bitPattern: row["updated_hlc"])), updatedBy: row["updated_by"])
        }
    }

    private static func value(_ stored: DatabaseValue, shape: FieldShape?) -> FieldValue? {
        guard case .register(let constraint)? = shape else { return nil }
        switch (stored.storage, constraint) {
        case (.null, _): return nil
        case let (.string(s), .choice): return .enumCase(s)
        case let (.string(s), .date): return .date(s)
        case let (.string(s), _): return .text(s)
        case let (.int64(n), .boolean): return .boolean(n != 0)
        case let (.int64(n), _): return .integer(n)
        default: return nil
        }
    }
}

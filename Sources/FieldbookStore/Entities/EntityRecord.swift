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
        case .risk, .finding, .request, .test: text(RiskField.title.name) ?? ""
        case .interview: text(InterviewField.interviewee.name) ?? ""
        case .sample: text(SampleField.key.name) ?? ""
        case .evidence: text(EvidenceField.filename.name) ?? ""
        case .system: text(SystemField.name.name) ?? ""
        case .engagement: text(EngagementField.name.name) ?? ""
        case .impact: text(ImpactField.summary.name) ?? ""
        case .library: text(LibraryField.name.name) ?? ""
        case .revocation: "site " + (id.revokedSite ?? "")
        case .result, .applicability: ""
        }
    }
}

extension EntityRecord {
    /// What an entity will show once a batch setting `settings` is written: the stored record
    /// (a new, empty one when there is none) with those values over it.
    static func pending(_ id: EntityID, kind: EntityKind, stored: EntityRecord?, setting settings: [String: FieldValue]) -> EntityRecord {
        EntityRecord(id: id, kind: kind, fields: (stored?.fields ?? [:]).merging(settings) { _, new in new }, links: stored?.links ?? [:],
                     deleted: stored?.deleted ?? false, conflictedFields: stored?.conflictedFields ?? [],
                     created: stored?.created ?? .zero, updated: stored?.updated ?? .zero, updatedBy: stored?.updatedBy ?? "")
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
        // Columns by position, not by name: a lookup by name folds the name's case on every
        // row, which was most of the time taken to read 10,000 risks.
        let ids = rows.map { $0[0] as String }
        let wanted = Set(ids)
        var links: [String: [String: [String]]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT l.entity, l.field, l.target FROM link l JOIN entity e ON e.id = l.entity
            WHERE e.kind = ? ORDER BY l.entity, l.field, l.target
            """, arguments: [kind.rawValue]) {
            let entity: String = row[0]
            guard wanted.contains(entity) else { continue }
            links[entity, default: [:]][row[1], default: []].append(row[2])
        }
        var conflicts: [String: [String]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT c.entity, c.field FROM conflict c JOIN entity e ON e.id = c.entity WHERE e.kind = ? ORDER BY c.field
            """, arguments: [kind.rawValue]) {
            let entity: String = row[0]
            guard wanted.contains(entity) else { continue }
            conflicts[entity, default: []].append(row[1])
        }
        let shapes = columns.map { EntitySchema.fields(of: kind)[$0] }
        return zip(rows, ids).compactMap { row, text in
            guard let id = EntityID(text) else { return nil }
            var fields: [String: FieldValue] = [:]
            for (offset, column) in columns.enumerated() {
                if let value = Self.value(row[5 + offset] as DatabaseValue, shape: shapes[offset]) { fields[column] = value }
            }
            return EntityRecord(id: id, kind: kind, fields: fields, links: links[text] ?? [:], deleted: row[1],
                                conflictedFields: conflicts[text] ?? [],
                                created: HLCTimestamp(rawValue: UInt64(bitPattern: row[2])),
                                updated: HLCTimestamp(rawValue: UInt64(bitPattern: row[3])), updatedBy: row[4])
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

import FieldbookModel
import FieldbookReplica
import FieldbookStore

/// A risk, evidence file, finding or result as JSON: its fields as top-level keys (absent
/// when never set), its links, and when and by whom it last changed.
struct EntityDocument: Encodable {
    let record: EntityRecord
    var extra: [String: FieldValueDocument] = [:]

    init(_ record: EntityRecord) {
        self.record = record
        if let risk = record.as(Risk.self), let score = risk.score, let level = risk.level {
            extra["score"] = .integer(Int64(score))
            extra["level"] = .string(level.rawValue)
        }
        if let requirement = record.id.resultRequirement {
            extra["requirement"] = .string(requirement.qualified)
        }
        // Whether it is late is judged today, so it shows in lists and `show`, never in `export`.
        if let request = record.as(EvidenceRequest.self) {
            extra["overdue"] = .boolean(request.isOverdue(today: Today.utc()))
        }
        if let control = record.id.applicabilityControl {
            extra["control"] = .string(control.qualified)
        }
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(record.id.rawValue, forKey: Key("id"))
        try container.encode(record.kind.rawValue, forKey: Key("kind"))
        for (field, value) in record.fields where field != EntitySchema.deletedField {
            try container.encode(FieldValueDocument(value), forKey: Key(field))
        }
        for (key, value) in extra { try container.encode(value, forKey: Key(key)) }
        for (field, targets) in record.links { try container.encode(targets, forKey: Key(field)) }
        // Kinds that link requirements always show the list, empty or not.
        let requirements = RiskField.requirements.name
        if EntitySchema.fields(of: record.kind)[requirements] != nil && record.links[requirements] == nil {
            try container.encode([String](), forKey: Key(requirements))
        }
        try container.encode(record.deleted, forKey: Key("deleted"))
        try container.encode(record.conflictedFields, forKey: Key("conflicted_fields"))
        try container.encode(Timestamps.rfc3339(record.created), forKey: Key("created"))
        try container.encode(Timestamps.rfc3339(record.updated), forKey: Key("updated"))
        try container.encode(record.updatedBy, forKey: Key("updated_by"))
    }
}

/// One change as JSON, for `log` and `history`.
struct ChangeDocument: Encodable {
    let change: String
    let at: String
    let hlc: UInt64
    let author: String
    let site: String
    let entity: String
    let kind: String
    let field: String
    let operation: String
    let value: FieldValueDocument
    let previous: [FieldValueDocument]

    init(_ entry: LogEntry) {
        let change = entry.change
        self.change = change.dot.description
        at = Timestamps.rfc3339(change.hlc)
        hlc = change.hlc.rawValue
        author = change.author
        site = change.dot.site.text
        entity = change.entity.rawValue
        kind = change.kind.rawValue
        field = change.field
        operation = change.operation.rawValue
        value = FieldValueDocument(change.value)
        previous = entry.previous.map { FieldValueDocument($0.value) }
    }
}

struct ConflictDocument: Encodable {
    let entity: String
    let kind: String
    let field: String
    let deletion: Bool
    let values: [Value]

    struct Value: Encodable {
        let value: FieldValueDocument
        let field: String
        let author: String
        let at: String
        let change: String
    }

    init(_ conflict: Conflict) {
        entity = conflict.entity.rawValue
        kind = conflict.kind.rawValue
        field = conflict.field
        deletion = conflict.isDeletion
        values = conflict.values.map {
            Value(value: FieldValueDocument($0.value), field: $0.field, author: $0.author, at: Timestamps.rfc3339($0.hlc),
                  change: $0.dot.description)
        }
    }
}

extension FieldValueDocument {
    var text: String {
        switch self {
        case .string(let s): s
        case .integer(let n): String(n)
        case .boolean(let b): b ? "true" : "false"
        }
    }
}

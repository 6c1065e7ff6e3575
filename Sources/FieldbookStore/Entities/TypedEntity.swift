import FieldbookModel
import FieldbookReplica

/// An entity of one kind read through its own fields (`Risk.title`, `Finding.due`), so code
/// outside the store never spells a field name: the names live once, in `EntityFields.swift`.
public protocol TypedEntity: Sendable {
    /// The kind's field enumeration, which is also its table's column list.
    associatedtype Field: EntityField
    /// The materialised state this view reads.
    var record: EntityRecord { get }
    init(unchecked record: EntityRecord)
}

extension TypedEntity {
    public static var kind: EntityKind { Field.kind }

    /// The typed view of a record, or nil when the record is of another kind.
    public init?(_ record: EntityRecord) {
        guard record.kind == Field.kind else { return nil }
        self.init(unchecked: record)
    }

    public var id: EntityID { record.id }
    public var deleted: Bool { record.deleted }
    public var conflictedFields: [String] { record.conflictedFields }
    public var created: HLCTimestamp { record.created }
    public var updated: HLCTimestamp { record.updated }
    public var updatedBy: String { record.updatedBy }

    public func text(_ field: Field) -> String? { record.text(field.name) }
    public func integer(_ field: Field) -> Int? { record.integer(field.name).map { Int($0) } }
    public func boolean(_ field: Field) -> Bool? {
        if case .boolean(let value)? = record.fields[field.name] { return value }
        return nil
    }
    /// A choice field read as its vocabulary; nil when unset (or written by a newer version).
    public func choice<Vocabulary: RawRepresentable<String>>(_ field: Field, as _: Vocabulary.Type = Vocabulary.self) -> Vocabulary? {
        record.text(field.name).flatMap(Vocabulary.init(rawValue:))
    }
    /// The present targets of a link-set field, sorted.
    public func links(_ field: Field) -> [String] { record.links[field.name] ?? [] }
}

extension EntityRecord {
    /// The record as a typed entity, or nil when it is of another kind.
    public func `as`<Entity: TypedEntity>(_ type: Entity.Type) -> Entity? { Entity(self) }
}

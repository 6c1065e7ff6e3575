import FieldbookModel

/// An evidence file: its name, content hash (the object store's key) and what it supports.
public struct Evidence: TypedEntity {
    /// The field enumeration this entity is read through.
    public typealias Field = EvidenceField
    public let record: EntityRecord
    public init(unchecked record: EntityRecord) { self.record = record }

    public var filename: String? { text(.filename) }
    /// SHA-256 of the file's bytes, 64 lowercase hex digits.
    public var sha256: String? { text(.sha256) }
    public var size: Int? { integer(.size) }
    public var description: String? { text(.description) }
    public var requirements: [String] { links(.requirements) }
    public var systems: [String] { links(.systems) }
}

import FieldbookModel

/// A framework or mapping library the engagement pins (issue 19): its URN (in the id), name,
/// version, and the SHA-256 of its canonical bytes, which the object store keeps like an
/// evidence file's and which travel with it (bundles, clone, sync).
public struct Library: TypedEntity {
    /// The field enumeration this entity is read through.
    public typealias Field = LibraryField
    public let record: EntityRecord
    public init(unchecked record: EntityRecord) { self.record = record }

    /// The library's URN (lower-case), from its id.
    public var urn: String { record.id.libraryURN ?? "" }
    public var name: String? { text(.name) }
    /// CISO Assistant's integer version; a new version of a library keeps its URN.
    public var version: Int? { integer(.version) }
    /// SHA-256 of the library's canonical bytes, 64 lowercase hex digits: the object store's key.
    public var sha256: String? { text(.sha256) }
    /// The key of the framework the library defines (`nist-csf-2.0`); nil for a mapping library.
    public var framework: String? { text(.framework) }
    /// What the library defines: a framework, mapping sets, or both.
    public var content: LibraryContent? { choice(.content) }
}

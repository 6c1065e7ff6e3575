import FieldbookModel
import FieldbookReplica

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
    /// The date the file speaks for (`YYYY-MM-DD`), kept apart from when it was recorded.
    public var asOf: String? { text(.asOf) }
    /// The period the file covers, when it covers one.
    public var periodFrom: String? { text(.periodFrom) }
    public var periodTo: String? { text(.periodTo) }
    /// The day it was recorded here (UTC), from the change that created it.
    public var recordedOn: String { String(Timestamps.rfc3339(milliseconds: created.wallMilliseconds).prefix(10)) }
    /// The date it speaks for (`EvidenceDate.speaksFor`): as of, else the period's end, else the day recorded.
    public var speaksFor: String { EvidenceDate.speaksFor(asOf: asOf, periodTo: periodTo, recorded: recordedOn) }
    /// "as of 2026-03-31" or "period 2026-01-01 to 2026-03-31"; nil when none is recorded.
    public var dateLabel: String? { EvidenceDate.label(asOf: asOf, periodFrom: periodFrom, periodTo: periodTo) }
    public var requirements: [String] { links(.requirements) }
    public var systems: [String] { links(.systems) }
}

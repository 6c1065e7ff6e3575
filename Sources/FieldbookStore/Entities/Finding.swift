import FieldbookModel

/// A nonconformity with its corrective action (ISO/IEC 42001 10.2).
public struct Finding: TypedEntity {
    /// The field enumeration this entity is read through.
    public typealias Field = FindingField
    public let record: EntityRecord
    public init(unchecked record: EntityRecord) { self.record = record }

    public var title: String? { text(.title) }
    public var description: String? { text(.description) }
    public var severity: FindingSeverity? { choice(.severity) }
    public var status: FindingStatus? { choice(.status) }
    public var correctiveAction: String? { text(.correctiveAction) }
    public var owner: String? { text(.owner) }
    /// The corrective action's due date, `YYYY-MM-DD`.
    public var due: String? { text(.due) }
    public var source: FindingSource? { choice(.source) }
    public var requirements: [String] { links(.requirements) }
    public var systems: [String] { links(.systems) }

    /// Not closed and due before `today` (both `YYYY-MM-DD`, which compare as text).
    public func isOverdue(today: String) -> Bool {
        CorrectiveActionDeadline.isOverdue(status: status, due: due, today: today)
    }
}

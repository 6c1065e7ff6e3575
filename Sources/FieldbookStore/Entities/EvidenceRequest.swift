import FieldbookModel

/// A request to the client for evidence (issue 30): what is asked, for which requirements, of
/// whom, by when, where it stands, what the client said back, and the files that answered it.
public struct EvidenceRequest: TypedEntity {
    /// The field enumeration this entity is read through.
    public typealias Field = RequestField
    public let record: EntityRecord
    public init(unchecked record: EntityRecord) { self.record = record }

    public var title: String? { text(.title) }
    public var description: String? { text(.description) }
    /// Who at the client is asked (`--from`).
    public var contact: String? { text(.contact) }
    /// When it is due, `YYYY-MM-DD`.
    public var due: String? { text(.due) }
    /// Where it stands; a request with none yet is read as requested.
    public var status: RequestStatus { choice(.status) ?? .requested }
    /// What the client wrote back (the spreadsheet's comment column).
    public var clientComment: String? { text(.clientComment) }
    public var requirements: [String] { links(.requirements) }
    /// The evidence files that answered it, by id.
    public var evidence: [String] { links(.evidence) }

    /// Still waiting on the client and due before `today` (`RequestDeadline`).
    public func isOverdue(today: String) -> Bool {
        !deleted && RequestDeadline.isOverdue(status: status, due: due, today: today)
    }

    /// The order requests are chased in: earliest due first (none last), then as recorded.
    public static func dueFirst(_ first: EvidenceRequest, _ second: EvidenceRequest) -> Bool {
        (first.due ?? "9999", first.id) < (second.due ?? "9999", second.id)
    }
}

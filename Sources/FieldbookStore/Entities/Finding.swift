import FieldbookModel

/// A finding graded as auditors grade it, and for a nonconformity its correction, root cause,
/// corrective action and the verification of its effectiveness (ISO/IEC 42001 10.2).
public struct Finding: TypedEntity {
    /// The field enumeration this entity is read through.
    public typealias Field = FindingField
    public let record: EntityRecord
    public init(unchecked record: EntityRecord) { self.record = record }

    public var title: String? { text(.title) }
    public var description: String? { text(.description) }
    /// The grade: major, minor, observation or opportunity for improvement.
    public var severity: FindingSeverity? { choice(.severity) }
    public var status: FindingStatus? { choice(.status) }
    public var correctiveAction: String? { text(.correctiveAction) }
    public var owner: String? { text(.owner) }
    /// The corrective action's due date, `YYYY-MM-DD`.
    public var due: String? { text(.due) }
    public var source: FindingSource? { choice(.source) }
    /// What was done at once to contain the nonconformity (10.2 a).
    public var correction: String? { text(.correction) }
    public var rootCause: String? { text(.rootCause) }
    public var verification: VerificationResult? { choice(.verification) }
    public var verifiedBy: String? { text(.verifiedBy) }
    /// When the verification was made, `YYYY-MM-DD`.
    public var verifiedOn: String? { text(.verifiedOn) }
    /// The evidence files the verification rests on, by id.
    public var verificationEvidence: [String] { links(.verificationEvidence) }
    /// Why it was closed without an effective verification (an explicit override).
    public var closedWithoutVerification: String? { text(.closedWithoutVerification) }
    public var requirements: [String] { links(.requirements) }
    public var systems: [String] { links(.systems) }

    /// Not an observation or an opportunity for improvement: a nonconformity, graded or not yet.
    public var isNonconformity: Bool { severity?.isNonconformity ?? true }

    /// "Verified effective by Lead auditor on 2027-02-01": a verification as registers and pages say it.
    public static func verified(_ result: String, by verifier: String?, on date: String?) -> String {
        "Verified \(result)" + (verifier.map { " by " + $0 } ?? "") + (date.map { " on " + $0 } ?? "")
    }

    /// "Closed without verification: REASON": the override as registers and pages say it.
    public static func closedWithout(_ reason: String) -> String { "Closed without verification: " + reason }

    /// Not closed and due before `today` (both `YYYY-MM-DD`, which compare as text).
    public func isOverdue(today: String) -> Bool {
        CorrectiveActionDeadline.isOverdue(status: status, due: due, today: today)
    }
}

import FieldbookModel
import FieldbookReplica

/// Verifying a nonconformity's correction and closing a finding (ISO/IEC 42001 10.2), the same
/// calls for every front end. Whether a close is allowed is the domain's rule
/// (`LocalEditRules.closesVerified`), checked on the write like any other.
extension WorkspaceDomain {
    /// Records whether the correction and corrective action proved effective: the result, who
    /// verified (the assessor when not given), when (today when not given) and the evidence it
    /// rests on (evidence ids or unique prefixes). A closed finding found not effective is
    /// reopened (in progress): a nonconformity stays open until its action works.
    /// Returns whether anything was written.
    @discardableResult
    public func verify(_ input: String, result: VerificationResult, by verifier: String? = nil, on date: String? = nil,
                       evidence: [String] = []) throws -> Bool {
        let finding = try live(Finding.self, input)
        var edits = EntityEdits<FindingField>(finding.id, current: finding.record)
        try edits.set(.verification, result)
        try edits.set(.verifiedBy, verifier ?? workspace.identity.assessor)
        try edits.set(.verifiedOn, date ?? Today.utc())
        edits.linkMissing(.verificationEvidence, try evidence.map { try liveRecord($0, kind: .evidence).id.rawValue })
        if result == .notEffective, finding.status == .closed { try edits.set(.status, FindingStatus.inProgress) }
        return try write(edits)
    }

    /// Closes a finding; `override` is the reason to close a nonconformity whose correction is
    /// not verified effective, recorded with it. Returns whether anything was written (false
    /// when it is closed already).
    @discardableResult
    public func close(_ input: String, override reason: String? = nil) throws -> Bool {
        let finding = try live(Finding.self, input)
        var edits = EntityEdits<FindingField>(finding.id, current: finding.record)
        try edits.set(.status, FindingStatus.closed)
        try edits.set(.closedWithoutVerification, reason)
        return try write(edits)
    }
}

import FieldbookModel
import FieldbookReplica

/// Evidence requests asked, listed and answered (issue 30), the same for every front end:
/// `request add|list`, `evidence add --fulfils`, a client's spreadsheet coming back, the workbench.
extension WorkspaceDomain {
    /// A request evidence may answer: live, and not cancelled (a cancelled request asks for
    /// nothing; reopen it with `request update --status requested` first).
    public func requestToAnswer(_ input: String) throws -> EvidenceRequest {
        let request = try live(EvidenceRequest.self, input)
        if request.status == .cancelled {
            throw StoreError.stateConflict("Request \(request.id) is cancelled; reopen it (fieldbook request update \(request.id) --status requested) before evidence answers it.")
        }
        return request
    }
}

extension Workspace {
    /// The requests an assessor chases from, as `request list` and the workbench list them: those
    /// with `status` (any when nil), only those overdue on `today` when it is given, earliest due
    /// first (`EvidenceRequest.dueFirst`).
    public func requests(status: RequestStatus? = nil, overdueOn today: String? = nil, includeDeleted: Bool = false) throws -> [EvidenceRequest] {
        try all(EvidenceRequest.self, includeDeleted: includeDeleted)
            .filter { request in (status == nil || request.status == status) && (today.map(request.isOverdue) ?? true) }
            .sorted(by: EvidenceRequest.dueFirst)
    }
}

extension EntityEdits where Field == RequestField {
    /// A new request starts requested, unless these edits already give it another status;
    /// called once the fields are set (`request add`, the workbench's form).
    public mutating func startRequested() throws(StoreError) {
        let givesStatus = edits.contains { edit in
            if case let .set(_, _, field, _) = edit { field == RequestField.status.name } else { false }
        }
        guard current == nil, !givesStatus else { return }
        try set(.status, RequestStatus.requested)
    }

    /// Records evidence files answering the request: linked to it, and the request marked
    /// received while it was waiting on the client (requested, or rejected and asked again). A
    /// request the assessor already accepted stays accepted.
    public mutating func answer(with evidence: [EntityID]) throws(StoreError) {
        linkMissing(.evidence, evidence.map(\.rawValue))
        let status = current.map(EvidenceRequest.init(unchecked:))?.status ?? .requested
        if !evidence.isEmpty, status.isOutstanding { try set(.status, RequestStatus.received) }
    }
}

import FieldbookModel
import FieldbookReplica

/// Evidence requests answered (issue 30), the same for every front end: `evidence add
/// --fulfils`, a client's spreadsheet coming back, the workbench next.
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

extension EntityEdits where Field == RequestField {
    /// Records evidence files answering the request: linked to it, and the request marked
    /// received while it was waiting on the client (requested, or rejected and asked again). A
    /// request the assessor already accepted stays accepted.
    public mutating func answer(with evidence: [EntityID]) throws(StoreError) {
        linkMissing(.evidence, evidence.map(\.rawValue))
        let status = current.map(EvidenceRequest.init(unchecked:))?.status ?? .requested
        if !evidence.isEmpty, status.isOutstanding { try set(.status, RequestStatus.received) }
    }
}

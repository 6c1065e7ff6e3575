import FieldbookModel
import FieldbookReplica
import FieldbookStore
import Foundation
import Testing

/// Evidence requests in the domain, without the command line (issue 30): the rules a new one
/// obeys, evidence answering one, a client's answers taken back all or nothing, and two
/// assessors' edits of one request merging into one request.
struct EvidenceRequestTests {
    let request = EntityID("0193a000-0000-7000-8000-0000000000e1")!

    private func asked(in workspace: Workspace, due: String = "2026-12-01") throws {
        var edits = EntityEdits<RequestField>(request)
        try edits.set(.title, "AI policy, signed")
        try edits.set(.due, due)
        try edits.set(.status, RequestStatus.requested)
        edits.link(.requirements, ["iso42001:5.2"])
        try workspace.domain.write(edits)
    }

    private func cell(_ column: String, _ heading: String, row: Int = 2) -> SheetCell {
        SheetCell(sheet: "sheet 'Requests'", row: row, column: column, heading: heading)
    }

    private func answer(_ id: String, status: String? = nil, comment: String? = nil, files: [String] = [], row: Int = 2) -> RequestAnswer {
        RequestAnswer(request: id, requestCell: cell("A", "id", row: row), status: status, statusCell: cell("E", "status", row: row),
                      comment: comment, commentCell: cell("F", "client comment", row: row), files: files, filesCell: cell("G", "file names", row: row))
    }

    @Test("a new request names a requirement; a period has both ends in order")
    func rules() throws {
        let temporary = try TemporaryWorkspace()
        var bare = EntityEdits<RequestField>(request)
        try bare.set(.title, "Model cards")
        #expect(throws: StoreError.self) { try temporary.workspace.domain.write(bare) }
        #expect(try temporary.workspace.record(request) == nil)
        let file = temporary.folder.appendingPathComponent("log.csv")
        try Data("a,b\n".utf8).write(to: file)
        for (from, to) in [("2026-03-31", "2026-01-01"), ("2026-01-01", nil)] as [(String, String?)] {
            #expect(throws: StoreError.self) {
                _ = try temporary.workspace.domain.attachEvidence(contentsOf: file, description: nil, requirements: ["iso42001:5.2"], systems: [],
                                                                  dating: EvidenceDating(periodFrom: from, periodTo: to))
            }
        }
        #expect(try temporary.workspace.all(Evidence.self).isEmpty)
        let stored = (FileManager.default.subpaths(atPath: temporary.workspace.objects.folder.path) ?? []).filter { $0.count > 2 }
        #expect(stored.isEmpty, "nothing copied before the rules passed")
    }

    @Test("evidence fulfilling a request is linked and marks it received; a cancelled request takes none")
    func fulfil() throws {
        let temporary = try TemporaryWorkspace()
        try asked(in: temporary.workspace)
        let file = temporary.folder.appendingPathComponent("policy.pdf")
        try Data("policy".utf8).write(to: file)
        let (id, _) = try temporary.workspace.domain.attachEvidence(contentsOf: file, description: nil, requirements: [], systems: [],
                                                                    dating: EvidenceDating(asOf: "2026-03-31"), fulfils: String(request.rawValue.prefix(20)))
        let answered = try #require(try temporary.workspace.entity(EvidenceRequest.self, request))
        #expect(answered.status == .received)
        #expect(answered.evidence == [id.rawValue])
        let evidence = try #require(try temporary.workspace.entity(Evidence.self, id))
        #expect(evidence.requirements == ["iso42001:5.2"], "the request's requirements when none are given")
        #expect(evidence.asOf == "2026-03-31" && evidence.speaksFor == "2026-03-31")

        var cancel = EntityEdits<RequestField>(request, current: answered.record)
        try cancel.set(.status, RequestStatus.cancelled)
        try temporary.workspace.domain.write(cancel)
        #expect(throws: StoreError.self) {
            _ = try temporary.workspace.domain.attachEvidence(contentsOf: file, description: nil, requirements: [], systems: [], fulfils: request.rawValue)
        }
        #expect(try temporary.workspace.all(Evidence.self).count == 1)
    }

    @Test("a client's answers: status, comment and files recorded in one write; a bad cell names itself and changes nothing")
    func answers() throws {
        let temporary = try TemporaryWorkspace()
        let workspace = temporary.workspace
        try asked(in: workspace)
        try Data("signed policy".utf8).write(to: temporary.folder.appendingPathComponent("policy.pdf"))
        let before = try workspace.summary().changes
        let good = answer(request.rawValue, comment: "fine")
        for (rows, sentence) in [
            ([answer(request.rawValue, status: "done")], "Sheet 'Requests', row 2, column E (status): 'done' is not a status"),
            ([good, answer("0193ffff-dead", row: 7)], "Sheet 'Requests', row 7, column A (id): no request"),
            ([answer(request.rawValue, comment: "fine", files: ["missing.pdf"])], "Sheet 'Requests', row 2, column G (file names): no file 'missing.pdf'"),
            ([answer(request.rawValue, files: ["../policy.pdf"])], "column G (file names): '../policy.pdf' is a path"),
        ] {
            do {
                _ = try workspace.domain.importAnswers(rows, filesIn: temporary.folder)
                Issue.record("accepted \(rows)")
            } catch let error as StoreError {
                #expect(error.description.contains(sentence), "\(error.description)")
            }
        }
        #expect(try workspace.summary().changes == before, "a refused sheet writes nothing")

        let outcome = try workspace.domain.importAnswers([answer(request.rawValue, comment: "Signed by the board\non 3 March", files: ["policy.pdf"])],
                                                         filesIn: temporary.folder)
        #expect(outcome.updated == [request] && outcome.attached.map(\.filename) == ["policy.pdf"])
        let answered = try #require(try workspace.entity(EvidenceRequest.self, request))
        #expect(answered.status == .received && answered.clientComment == "Signed by the board\non 3 March")
        #expect(answered.evidence == outcome.attached.map(\.evidence.rawValue))
        // The same sheet again holds nothing new.
        let again = try workspace.domain.importAnswers([answer(request.rawValue, comment: "Signed by the board\non 3 March", files: ["policy.pdf"])],
                                                       filesIn: temporary.folder)
        #expect(again.updated.isEmpty && again.attached.isEmpty && again.unchanged == 1)
        // Two rows for one request are refused.
        #expect(throws: StoreError.self) {
            _ = try workspace.domain.importAnswers([answer(request.rawValue, status: "accepted"), answer(request.rawValue, row: 5)], filesIn: temporary.folder)
        }
    }

    @Test("two assessors editing one request hold one request; concurrent statuses are a conflict until resolved")
    func merge() throws {
        let ana = try TemporaryWorkspace(assessor: "Ana")
        try asked(in: ana.workspace)
        let ben = try TemporaryWorkspace(assessor: "Ben")
        _ = try ben.workspace.apply(remote: try ana.workspace.exchange.changes(missingFrom: VersionVector()))
        func edit(_ workspace: Workspace, _ change: (inout EntityEdits<RequestField>) throws -> Void) throws {
            var edits = EntityEdits<RequestField>(request, current: try workspace.record(request))
            try change(&edits)
            try workspace.domain.write(edits)
        }
        try edit(ana.workspace) { try $0.set(.status, RequestStatus.received) }
        try edit(ben.workspace) { try $0.set(.status, RequestStatus.rejected); try $0.set(.clientComment, "Unsigned copy") }
        _ = try ana.workspace.apply(remote: try ben.workspace.exchange.changes(missingFrom: try ana.workspace.versionVector()))
        _ = try ben.workspace.apply(remote: try ana.workspace.exchange.changes(missingFrom: try ben.workspace.versionVector()))
        #expect(try ana.workspace.all(EvidenceRequest.self).count == 1)
        #expect(try JSONDocument.text(ana.workspace.export(), .compact) == JSONDocument.text(ben.workspace.export(), .compact))
        let merged = try #require(try ana.workspace.entity(EvidenceRequest.self, request))
        #expect(merged.conflictedFields == ["status"])
        #expect(merged.clientComment == "Unsigned copy")
        #expect(try ana.workspace.conflicts().map(\.field) == ["status"])
    }
}

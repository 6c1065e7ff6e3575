import FieldbookModel
import FieldbookStore
@testable import FieldbookWorkbench
import Foundation
import Testing

/// The evidence request pages (issue 30): the list the assessor chases from, a request's page,
/// asking from the list and from a requirement's page, changing a request, attaching evidence
/// that fulfils it; each refusal one sentence with nothing written, as the CLI refuses it.
struct RequestPagesTests {
    /// A request written through the domain, as `request add` writes it.
    @discardableResult
    func ask(_ harness: WorkbenchHarness, _ title: String, due: String?, status: RequestStatus? = nil, contact: String? = nil,
             requirements: [String] = ["iso42001:A.6.2.8"]) throws -> EntityID {
        var edits = EntityEdits<RequestField>(EntityID(UUIDv7.make())!)
        try edits.set(.title, title)
        try edits.set(.due, due)
        try edits.set(.contact, contact)
        try edits.set(.status, status)
        try edits.startRequested()
        edits.link(.requirements, requirements)
        try harness.workspace.domain.write(edits)
        return edits.entity
    }

    func request(_ harness: WorkbenchHarness, _ id: EntityID) throws -> EvidenceRequest {
        try #require(try harness.workspace.entity(EvidenceRequest.self, id))
    }

    /// One sentence: no line break, ends with a full stop (or a closing parenthesis after one,
    /// as the catalog's "did you mean ... ('fieldbook catalog search' ...)").
    func isOneSentence(_ text: String) -> Bool {
        !text.isEmpty && !text.contains("\n") && (text.hasSuffix(".") || text.hasSuffix(")"))
    }

    @Test("the list: earliest due first, overdue marked in words, contact, requirement links, evidence count; filtered by status and overdue")
    func list() async throws {
        let harness = try WorkbenchHarness()
        defer { harness.remove() }
        try ask(harness, "Model cards", due: "2099-03-31", contact: "Dana <dana@client>")
        try ask(harness, "Access review log", due: "2020-01-31", contact: "Ops", requirements: ["iso42001:A.6.2.8", "nist-ai-rmf:GOVERN-1.1"])
        try ask(harness, "Bias test report", due: "2020-02-15", status: .accepted)
        try ask(harness, "Training data sheet", due: nil)

        let all = try await harness.get("/requests")
        #expect(all.status == .ok)
        let order = ["Access review log", "Bias test report", "Model cards", "Training data sheet"].map { all.body.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil } && order.map { $0! } == order.map { $0! }.sorted(), "earliest due first, none last")
        #expect(all.body.contains("4 requests, 1 overdue."))
        #expect(all.body.contains(#"2020-01-31 <span class="tag alert">overdue</span>"#), "overdue marked in words")
        #expect(!all.body.contains(#"2020-02-15 <span class="tag alert">"#), "an accepted request is not overdue")
        #expect(all.body.contains("Dana &lt;dana@client&gt;"), "the contact shown, escaped")
        #expect(all.body.contains(#"<a href="/requirements/nist-ai-rmf:GOVERN-1.1">nist-ai-rmf:GOVERN-1.1</a>"#))
        #expect(all.body.contains(#"<a href="/requests" aria-current="page">Evidence requests</a>"#), "in the navigation")

        let overdue = try await harness.get("/requests?overdue=1")
        #expect(overdue.body.contains("Access review log") && !overdue.body.contains("Model cards") && !overdue.body.contains("Bias test report"))
        #expect(overdue.body.contains(#"id="filter-overdue" value="1" checked"#))
        let accepted = try await harness.get("/requests?status=accepted")
        #expect(accepted.body.contains("Bias test report") && !accepted.body.contains("Access review log"))
        let none = try await harness.get("/requests?status=received&overdue=1")
        #expect(none.body.contains("No request matches."))
        let bad = try await harness.get("/requests?status=lost")
        #expect(bad.status == .badRequest && bad.body.contains("No request status 'lost'; choose one of requested, received"))
    }

    @Test("ask for evidence from the list: requested, with its contact, due date and requirements resolved as the CLI resolves them")
    func add() async throws {
        let harness = try WorkbenchHarness()
        defer { harness.remove() }
        let outcome = try await harness.post("/requests", [("title", "Incident log"), ("requirements", "A.6.2.8, GV-1.1"), ("contact", "Ops"),
                                                           ("due", "2027-01-31"), ("description", "Last 12 months")], back: "/requests")
        #expect(outcome.answer.status == .seeOther && outcome.answer.location == "/requests")
        #expect(!outcome.refused && outcome.text.hasPrefix("Asked for Incident log"), "\(outcome.text)")
        let made = try #require(try harness.workspace.requests().first)
        #expect(made.title == "Incident log" && made.status == .requested && made.contact == "Ops" && made.due == "2027-01-31")
        #expect(made.description == "Last 12 months")
        #expect(made.requirements.sorted() == ["iso42001:A.6.2.8", "nist-ai-rmf:GOVERN-1.1"])
        let page = try await harness.get("/requests/\(made.id)")
        #expect(page.status == .ok && page.body.contains("<h1>Incident log</h1>") && page.body.contains("Status requested."))
    }

    @Test("refusals: a bad date, an unknown requirement, no requirement, an empty title; one sentence, nothing written")
    func refusals() async throws {
        let harness = try WorkbenchHarness()
        defer { harness.remove() }
        let before = try harness.changes()
        let cases: [(String, [(String, String)], String)] = [
            ("a bad date", [("title", "Logs"), ("requirements", "A.6.2.8"), ("due", "31/01/2027")], "2027"),
            ("an unknown requirement", [("title", "Logs"), ("requirements", "A.6.2.8, Z.99")], "Z.99"),
            ("no requirement", [("title", "Logs")], "requirement"),
            ("an empty title", [("title", "  "), ("requirements", "A.6.2.8")], "blank"),
        ]
        for (name, fields, mentions) in cases {
            let outcome = try await harness.post("/requests", fields, back: "/requests")
            #expect(outcome.answer.status == .seeOther, "\(name)")
            #expect(outcome.refused && isOneSentence(outcome.text) && outcome.text.contains(mentions), "\(name): \(outcome.text)")
        }
        #expect(try harness.changes() == before, "a refused form writes nothing")
        #expect(try harness.workspace.requests(includeDeleted: true).isEmpty)

        let id = try ask(harness, "Logs", due: "2027-01-31")
        let written = try harness.changes()
        for fields in [[("due", "2027-02-30")], [("status", "lost")], [("title", "")], [("requirements", "Z.99")]] {
            let outcome = try await harness.post("/requests/\(id)", fields)
            #expect(outcome.refused && isOneSentence(outcome.text), "\(fields): \(outcome.text)")
        }
        let unknown = try await harness.post("/requests/0000ffff", [("status", "accepted")])
        #expect(unknown.refused && isOneSentence(unknown.text), "\(unknown.text)")
        let forged = try await harness.post("/requests", [("title", "Forged"), ("requirements", "A.6.2.8")], token: false)
        #expect(forged.answer.status == .forbidden)
        #expect(try harness.changes() == written, "a refused change writes nothing")
        #expect(try request(harness, id).due == "2027-01-31")
    }

    @Test("change status, due date, contact, comment and requirements; an unchanged form writes nothing")
    func update() async throws {
        let harness = try WorkbenchHarness()
        defer { harness.remove() }
        let id = try ask(harness, "Logs", due: "2027-01-31")
        let outcome = try await harness.post("/requests/\(id)", [("title", "Logs"), ("status", "rejected"), ("due", "2027-02-28"), ("contact", "Ops"),
                                                                 ("client_comment", "Sent \"v2\" instead"), ("requirements", "GV-1.1"),
                                                                 ("unlink", "iso42001:A.6.2.8")], back: "/requests/\(id)")
        #expect(!outcome.refused && outcome.answer.location == "/requests/\(id)", "\(outcome.text)")
        let changed = try request(harness, id)
        #expect(changed.status == .rejected && changed.due == "2027-02-28" && changed.contact == "Ops" && changed.clientComment == "Sent \"v2\" instead")
        #expect(changed.requirements == ["nist-ai-rmf:GOVERN-1.1"])
        let written = try harness.changes()
        let again = try await harness.post("/requests/\(id)", [("title", "Logs"), ("status", "rejected"), ("due", "2027-02-28")])
        #expect(!again.refused && again.text == "Nothing changed.")
        #expect(try harness.changes() == written)

        let page = try await harness.get("/requests/\(id)")
        #expect(page.body.contains("Sent &quot;v2&quot; instead") || page.body.contains("Sent \"v2\" instead"))
        #expect(page.body.contains("<h2>History</h2>") && page.body.contains("client_comment") && page.body.contains("requirements (unlinked)"))
        #expect(page.body.contains(#"<option value="rejected" selected>rejected</option>"#))
    }

    @Test("attach a file fulfilling a request: linked, on the request's requirements, the request received; refused on a cancelled one")
    func attach() async throws {
        let harness = try WorkbenchHarness()
        defer { harness.remove() }
        let id = try ask(harness, "Access review log", due: "2020-01-31", requirements: ["iso42001:A.6.2.8", "nist-ai-rmf:GOVERN-1.1"])
        let outcome = try await harness.upload("/requests/\(id)/evidence", files: [("review-q1.pdf", Data("%PDF q1".utf8))],
                                               [("description", "Q1 review")], back: "/requests/\(id)")
        #expect(!outcome.refused && outcome.text.contains("review-q1.pdf"), "\(outcome.text)")
        let answered = try request(harness, id)
        #expect(answered.status == .received && answered.evidence.count == 1)
        let file = try #require(try harness.workspace.entity(Evidence.self, EntityID(answered.evidence[0])!))
        #expect(file.filename == "review-q1.pdf" && file.description == "Q1 review")
        #expect(file.requirements.sorted() == ["iso42001:A.6.2.8", "nist-ai-rmf:GOVERN-1.1"])
        let page = try await harness.get("/requests/\(id)")
        #expect(page.body.contains("review-q1.pdf") && page.body.contains("Evidence fulfilling this request"))
        let list = try await harness.get("/requests")
        #expect(list.body.contains("<td>received</td>") && list.body.contains("<td>1</td>"))

        let accepted = try await harness.post("/requests/\(id)", [("status", "accepted")])
        #expect(try !accepted.refused && request(harness, id).status == .accepted)

        let cancelled = try ask(harness, "Old policy", due: nil, status: .cancelled)
        let written = try harness.changes()
        let refused = try await harness.upload("/requests/\(cancelled)/evidence", files: [("policy.pdf", Data("policy".utf8))])
        #expect(refused.refused && isOneSentence(refused.text) && refused.text.contains("cancelled"), "\(refused.text)")
        let empty = try await harness.upload("/requests/\(id)/evidence", files: [])
        #expect(empty.refused && isOneSentence(empty.text), "\(empty.text)")
        #expect(try harness.changes() == written, "a refused upload writes nothing")
        #expect(try harness.workspace.all(Evidence.self).count == 1)
        let cancelledPage = try await harness.get("/requests/\(cancelled)")
        #expect(cancelledPage.body.contains("This request is cancelled") && !cancelledPage.body.contains("Attach evidence fulfilling it"))
    }

    @Test("a requirement's page lists its requests and asks for evidence for it, coming back to it")
    func fromRequirement() async throws {
        let harness = try WorkbenchHarness()
        defer { harness.remove() }
        try ask(harness, "Access review log", due: "2020-01-31")
        let page = try await harness.get("/requirements/iso42001:A.6.2.8")
        #expect(page.status == .ok && page.body.contains("Request evidence for this requirement"))
        #expect(page.body.contains("Access review log</a>: requested, due 2020-01-31 <span class=\"tag alert\">overdue</span>"))
        let path = "/requirements/iso42001:A.6.2.8"
        let outcome = try await harness.post("/requests", [("requirements", "iso42001:A.6.2.8"), ("title", "Monitoring plan"), ("due", "2027-06-30")],
                                             back: path)
        #expect(!outcome.refused && outcome.answer.location == path, "\(outcome.text)")
        let made = try #require(try harness.workspace.requests().first { $0.title == "Monitoring plan" })
        #expect(made.requirements == ["iso42001:A.6.2.8"] && made.status == .requested)
    }

    @Test("a conflict on a request links from the conflicts page to the request's page")
    func conflicts() throws {
        let id = EntityID(UUIDv7.make())!
        let link = ConflictsPage.link(id, kind: .request, record: nil, name: "Request Logs").rendered
        #expect(link.contains(#"<a href="/requests/\#(id)">Open Request Logs</a>"#))
    }

    @Test("every control on the request pages has a label, and ids are not repeated")
    func labels() async throws {
        let harness = try WorkbenchHarness()
        defer { harness.remove() }
        let id = try ask(harness, "Logs", due: "2020-01-31")
        for path in ["/requests", "/requests/\(id)", "/requirements/iso42001:A.6.2.8"] {
            let body = try await harness.get(path).body
            let ids = body.matches(of: /\sid="([^"]+)"/).map { String($0.1) }
            #expect(Set(ids).count == ids.count, "\(path) repeats an id")
            for control in body.matches(of: /<(input|select|textarea)\s[^>]*>/).map({ String($0.0) }) where !control.contains(#"type="hidden""#) {
                let id = control.firstMatch(of: /\sid="([^"]+)"/).map { String($0.1) }
                let labelled = id.map { body.contains(#"<label for="\#($0)""#) } ?? false
                #expect(labelled || control.contains(#"type="checkbox""#) && body.contains("unlink"), "\(path): \(control) has no label")
            }
        }
    }
}

import FieldbookModel
import FieldbookStore
import Hummingbird

/// `/requests`: the evidence requests the assessor chases the client from (issue 30), filtered
/// by status and overdue, earliest due first, overdue ones marked, a page of 100 at a time, with
/// a form to ask for more; `/requests/{id}`: one request, its fields in a form, the evidence
/// that answered it and an upload to attach more, its history. A requirement's page lists the
/// requests for it and asks for evidence for it (`forRequirement`). The same operations as
/// `fieldbook request` and `evidence add --fulfils`: the domain decides what is refused.
enum RequestPages: WorkbenchPages {
    static func add(to router: Router<WorkbenchContext>, workbench: Workbench) {
        router.get("/requests") { request, context in
            let page = try PageContext(workbench, context: context)
            let filter: Filter
            do { filter = try Filter(request) } catch let refusal as WorkbenchRefusal { return Refusal.page(refusal.status, refusal.sentence) }
            return try page.page("Evidence requests", current: "/requests", try list(page, filter: filter, number: request.pageNumber))
        }
        router.get("/requests/:id") { _, context in
            let page = try PageContext(workbench, context: context)
            return try page.entityPage(context, find: { try $0.live(EvidenceRequest.self, $1) }) { asked in
                try page.page(asked.title ?? "Evidence request", current: "/requests", try detail(page, asked))
            }
        }
        router.post("/requests") { request, context in
            try await Action.run(workbench, request, context) { form, workspace in
                var edits = EntityEdits<RequestField>(EntityID(UUIDv7.make())!)
                try edits.set(.title, form["title"] ?? "")
                try set(&edits, form)
                try edits.startRequested()
                edits.link(.requirements, try LinkedRequirements.read(form, workspace))
                try workspace.domain.write(edits)
                return "Asked for \(form["title"] ?? "") (request \(edits.entity))."
            }
        }
        router.post("/requests/:id") { request, context in
            try await Action.run(workbench, request, context) { form, workspace in
                let asked = try workspace.domain.live(EvidenceRequest.self, try context.parameters.require("id"))
                var edits = EntityEdits<RequestField>(asked.id, current: asked.record)
                if let title = form["title"] { try edits.set(.title, title) }
                try set(&edits, form)
                edits.linkMissing(.requirements, try LinkedRequirements.read(form, workspace))
                edits.unlinkPresent(.requirements, form.all("unlink"))
                return try workspace.domain.write(edits) ? "Saved request \(asked.id)." : "Nothing changed."
            }
        }
        router.post("/requests/:id/evidence") { request, context in
            try await EvidenceFiles.receive(workbench, request, context) { files, fields, workspace in
                let asked = try workspace.domain.live(EvidenceRequest.self, try context.parameters.require("id"))
                for file in files {
                    // As `evidence add --fulfils`: linked to the request and its requirements, the request marked received.
                    _ = try workspace.domain.attachEvidence(contentsOf: file.file, filename: file.filename, description: fields.text("description"),
                                                            requirements: [], systems: [], fulfils: asked.id.rawValue)
                }
                return "Attached \(files.map(\.filename).joined(separator: ", ")) fulfilling request \(asked.id)."
            }
        }
    }

    /// Which requests the list shows: `?status=received&overdue=1`.
    struct Filter {
        var status: RequestStatus?
        var overdue = false

        init(status: RequestStatus? = nil, overdue: Bool = false) {
            self.status = status
            self.overdue = overdue
        }

        init(_ request: Request) throws {
            if let text = request.uri.queryParameters["status"].map(String.init), !text.isEmpty {
                guard let status = RequestStatus(rawValue: text) else {
                    let statuses = RequestStatus.allCases.map(\.rawValue).joined(separator: ", ")
                    throw WorkbenchRefusal(.badRequest, "No request status '\(text.prefix(40))'; choose one of \(statuses).")
                }
                self.status = status
            }
            overdue = request.uri.queryParameters["overdue"].map { !$0.isEmpty && $0 != "0" } ?? false
        }

        /// The list's address with this filter.
        var path: String {
            let query = [status.map { "status=\($0.rawValue)" }, overdue ? "overdue=1" : nil].compactMap { $0 }
            return "/requests" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        }

        var said: String {
            switch (status, overdue) {
            case (nil, false): "all"
            case (nil, true): "overdue"
            case (let status?, false): status.rawValue
            case (let status?, true): "\(status.rawValue) and overdue"
            }
        }
    }

    /// The fields as the form gives them (the title apart); a blank field leaves the value as
    /// it is. The domain refuses a date that is not `YYYY-MM-DD` and a status it does not know.
    static func set(_ edits: inout EntityEdits<RequestField>, _ form: FormInput) throws {
        try edits.set(.status, form.text("status"))
        try edits.set(.contact, form.text("contact"))
        try edits.set(.due, form.text("due"))
        try edits.set(.description, form.text("description"))
        try edits.set(.clientComment, form.text("client_comment"))
    }

    /// The request's fields; ids are prefixed, since a requirement's page and a request's hold
    /// other forms with a description.
    static func fields(_ asked: EvidenceRequest?, requirements: HTML = .empty) -> [HTML] {
        let field = { (label: String, name: String, control: (String) -> HTML, hint: String?) -> HTML in
            H.field(label, id: "request-\(name)", control("request-\(name)"), hint: hint)
        }
        return [
            field("What is asked, in a few words", "title", { H.input("title", id: $0, value: asked?.title, required: true) }, nil),
            requirements,
            asked.map { asked in
                field("Status", "status", { H.select("status", id: $0, options: H.choices(RequestStatus.self), selected: asked.status.rawValue) }, nil)
            } ?? .empty,
            field("Asked of (who at the client)", "contact", { H.input("contact", id: $0, value: asked?.contact) }, nil),
            field("Due", "due", { H.input("due", id: $0, type: "date", value: asked?.due) }, "YYYY-MM-DD"),
            field("What exactly is asked", "description", { H.textarea("description", id: $0, value: asked?.description) }, nil),
            asked.map { asked in
                field("The client's comment", "client_comment", { H.textarea("client_comment", id: $0, value: asked.clientComment) }, nil)
            } ?? .empty,
        ]
    }

    static func list(_ page: PageContext, filter: Filter, number: Int) throws -> HTML {
        let today = Today.utc()
        let all = try page.workspace.requests()
        let shown = try page.workspace.requests(status: filter.status, overdueOn: filter.overdue ? today : nil)
        let paged = Pager(shown, number: number)
        let table = H.table(caption: "Evidence requests (\(filter.said)), earliest due first (page \(paged.number) of \(paged.pages))",
                            header: ["request", "status", "due", "asked of", "requirements", "evidence received"],
                            rows: paged.shown.map { asked in
                                [H.a("/requests/\(asked.id.rawValue)", .text(asked.title ?? asked.id.rawValue)), .text(asked.status.rawValue),
                                 due(asked, today: today), .text(asked.contact ?? ""), FindingPages.requirementLinks(asked.requirements),
                                 .text(String(asked.evidence.count))]
                            })
        let overdue = all.filter { $0.isOverdue(today: today) }.count
        return [
            H.h1("Evidence requests"),
            H.p(.text("\(all.count) requests, \(overdue) overdue. "),
                overdue == 0 || filter.overdue ? .empty : H.a("/requests?overdue=1", "Show the overdue ones")),
            filterForm(filter),
            shown.isEmpty ? H.p(.text(all.isEmpty ? "No evidence requested yet." : "No request matches.")) : table,
            paged.links(filter.path),
            H.h2("Ask for evidence"),
            page.form("/requests", back: "/requests", fields(nil, requirements: LinkedRequirements.field(
                required: true, label: "Requirements the evidence is for (ids, comma-separated)")) + [H.button("Request evidence")]),
        ]
    }

    /// The filter: a form sent by GET, so the filtered list has an address to keep and share.
    static func filterForm(_ filter: Filter) -> HTML {
        .element("form", [("method", "get"), ("action", "/requests"), ("class", "filter"), ("aria-label", "Filter requests")], [
            H.field("Status", id: "filter-status", H.select("status", id: "filter-status", options: H.choices(RequestStatus.self),
                                                          selected: filter.status?.rawValue, blank: "any status")),
            .element("div", [("class", "field check")], [
                H.input("overdue", id: "filter-overdue", type: "checkbox", value: "1", extra: [("checked", filter.overdue ? "" : nil)]),
                .element("label", [("for", "filter-overdue")], ["Only overdue requests"]),
            ]),
            H.button("Show requests", class: "secondary"),
        ])
    }

    /// The due date, marked in words when the request is overdue.
    static func due(_ asked: EvidenceRequest, today: String) -> HTML {
        H.due(asked.due, overdue: asked.isOverdue(today: today))
    }

    static func detail(_ page: PageContext, _ asked: EvidenceRequest) throws -> HTML {
        let path = "/requests/\(asked.id.rawValue)"
        let evidence = try asked.evidence.compactMap { EntityID($0) }.compactMap { try page.workspace.entity(Evidence.self, $0) }
        return [
            H.h1(asked.title ?? "Evidence request"),
            H.p(.text("Status \(asked.status.rawValue). Due "), due(asked, today: Today.utc()), .text(asked.due == nil ? "not set. " : ". "),
                .text("Asked of \(asked.contact ?? "no one named yet"). Recorded by \(asked.record.updatedBy).")),
            ConflictAlert.of(asked.record),
            page.form(path, back: path, fields(asked) + [
                LinkedRequirements.list(asked.requirements),
                LinkedRequirements.field(),
                H.button("Save request"),
            ]),
            H.h2("Evidence fulfilling it"),
            evidence.isEmpty ? H.p("Nothing received yet.") : EvidenceFiles.table(evidence, caption: "Evidence fulfilling this request"),
            asked.status == .cancelled
                ? H.p("This request is cancelled; set its status to requested to attach evidence to it.")
                : EvidenceFiles.uploadForm(page, action: "\(path)/evidence", back: path, button: "Attach evidence fulfilling it"),
            try ChangeHistory.section(page.workspace, asked.id, caption: "Every change to this request, oldest first", none: "No change recorded."),
        ]
    }

    /// On a requirement's page: the requests for it, and a form asking for evidence for it.
    static func forRequirement(_ page: PageContext, _ requirement: RequirementID, path: String) throws -> HTML {
        let today = Today.utc()
        let requests = try page.workspace.entities(.request, linkedTo: requirement).compactMap { $0.as(EvidenceRequest.self) }
            .sorted(by: EvidenceRequest.dueFirst)
        return [
            H.h2("Evidence requests"),
            requests.isEmpty ? H.p("No evidence requested for it yet.") : H.ul(requests.map { asked in
                H.li(H.a("/requests/\(asked.id.rawValue)", .text(asked.title ?? asked.id.rawValue)),
                     .text(": \(asked.status.rawValue), due "), asked.due == nil ? "not set" : due(asked, today: today))
            }),
            .element("h3", [], [.text("Request evidence for this requirement")]),
            page.form("/requests", back: path, [H.input("requirements", id: nil, type: "hidden", value: requirement.qualified)]
                + fields(nil) + [H.button("Request evidence")]),
        ]
    }
}

import FieldbookModel
import FieldbookStore
import Hummingbird

/// `/risks`: the risk register, worst first, a page of 100 at a time (an engagement may log
/// 10,000), with a form to log a risk; `/risks/{id}`: one risk, its fields in a form, and its
/// links to requirements.
enum RiskPages: WorkbenchPages {
    static let pageSize = 100

    static func add(to router: Router<WorkbenchContext>, workbench: Workbench) {
        router.get("/risks") { request, context in
            let page = try PageContext(workbench, context: context)
            let number = max(1, request.uri.queryParameters["page"].flatMap { Int($0) } ?? 1)
            return try page.page("Risks", current: "/risks", try register(page, number: number))
        }
        router.get("/risks/:id") { _, context in
            let page = try PageContext(workbench, context: context)
            let risk: Risk
            do { risk = try page.workspace.domain.live(Risk.self, try context.parameters.require("id")) } catch let error as StoreError {
                return Refusal.page(.notFound, error.description)
            }
            return try page.page(risk.title ?? "Risk", current: "/risks", detail(page, risk))
        }
        router.post("/risks") { request, context in
            try await Action.run(workbench, request, context) { form, workspace in
                let id = EntityID(UUIDv7.make())!
                var edits = EntityEdits<RiskField>(id)
                try set(&edits, form)
                edits.link(.requirements, try requirements(form, workspace))
                try workspace.domain.write(edits)
                return "Logged risk \(form["title"] ?? "")."
            }
        }
        router.post("/risks/:id") { request, context in
            try await Action.run(workbench, request, context) { form, workspace in
                let risk = try workspace.domain.live(Risk.self, try context.parameters.require("id"))
                var edits = EntityEdits<RiskField>(risk.id, current: risk.record)
                try set(&edits, form)
                edits.linkMissing(.requirements, try requirements(form, workspace))
                edits.unlinkPresent(.requirements, form.all("unlink"))
                return try workspace.domain.write(edits) ? "Saved risk \(risk.id)." : "Nothing changed."
            }
        }
    }

    /// The register's fields as the form gives them; a blank field leaves the value as it is,
    /// and the domain refuses a blank title, a likelihood or impact outside 1 to 5.
    static func set(_ edits: inout EntityEdits<RiskField>, _ form: FormInput) throws {
        if let title = form["title"] { try edits.set(.title, title) }
        try edits.set(.likelihood, try form.integer("likelihood", label: "Likelihood"))
        try edits.set(.impact, try form.integer("impact", label: "Impact"))
        try edits.set(.owner, form.text("owner"))
        try edits.set(.treatment, form.text("treatment").flatMap(RiskTreatment.init(rawValue:)))
        try edits.set(.status, form.text("status").flatMap(RiskStatus.init(rawValue:)))
        try edits.set(.description, form.text("description"))
    }

    /// Requirements typed as `A.6.2.4, GV-1.1`, resolved as the CLI resolves them.
    static func requirements(_ form: FormInput, _ workspace: Workspace) throws -> [String] {
        guard let text = form.text("requirements") else { return [] }
        let library = try workspace.libraries.catalogs(mappings: false).library
        return try text.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map { input in
            do { return try library.index.resolve(String(input)).id.qualified } catch {
                throw WorkbenchRefusal(.badRequest, "\(error)")
            }
        }
    }

    static func fields(_ risk: Risk?) -> [HTML] {
        let scale = (1...5).map { (String($0), String($0)) }
        return [
            H.field("Title", id: "title", H.input("title", id: "title", value: risk?.title, required: true)),
            H.field("Likelihood (1 rare to 5 almost certain)", id: "likelihood",
                    H.select("likelihood", id: "likelihood", options: scale, selected: risk?.likelihood.map(String.init), blank: risk == nil ? "choose" : nil)),
            H.field("Impact (1 negligible to 5 severe)", id: "impact",
                    H.select("impact", id: "impact", options: scale, selected: risk?.impact.map(String.init), blank: risk == nil ? "choose" : nil)),
            H.field("Owner", id: "owner", H.input("owner", id: "owner", value: risk?.owner)),
            H.field("Treatment", id: "treatment", H.select("treatment", id: "treatment", options: RiskTreatment.allCases.map { ($0.rawValue, $0.rawValue) },
                                                         selected: risk?.treatment?.rawValue, blank: "not chosen")),
            H.field("Status", id: "status", H.select("status", id: "status", options: RiskStatus.allCases.map { ($0.rawValue, $0.rawValue) },
                                                   selected: (risk?.status ?? .open).rawValue)),
            H.field("Description", id: "description", H.textarea("description", id: "description", value: risk?.description)),
            H.field("Link requirements (ids, comma-separated)", id: "requirements", H.input("requirements", id: "requirements"),
                    hint: "A.6.2.4, GV-1.1, MEASURE 2.11 ..."),
        ]
    }

    static func register(_ page: PageContext, number: Int) throws -> HTML {
        let risks = try page.workspace.all(Risk.self).sorted { ($0.score ?? 0, $1.id) > ($1.score ?? 0, $0.id) }
        let pages = max(1, (risks.count + pageSize - 1) / pageSize)
        let number = min(number, pages)
        let shown = risks.dropFirst((number - 1) * pageSize).prefix(pageSize)
        let table = H.table(caption: "Risk register, worst first (page \(number) of \(pages))",
                            header: ["risk", "likelihood", "impact", "score", "level", "owner", "treatment", "status"],
                            rows: shown.map { risk in
                                [H.a("/risks/\(risk.id.rawValue)", .text(risk.title ?? risk.id.rawValue)), .text(risk.likelihood.map(String.init) ?? ""),
                                 .text(risk.impact.map(String.init) ?? ""), .text(risk.score.map(String.init) ?? ""), .text(risk.level?.rawValue ?? ""),
                                 .text(risk.owner ?? ""), .text(risk.treatment?.rawValue ?? ""), .text(risk.status?.rawValue ?? "")]
                            })
        return [
            H.h1("Risks"), H.p(.text("\(risks.count) risks logged.")),
            risks.isEmpty ? H.p("No risk logged yet.") : table,
            Pager.links("/risks", number: number, pages: pages),
            H.h2("Log a risk"), page.form("/risks", back: "/risks", fields(nil) + [H.button("Log risk")]),
        ]
    }

    static func detail(_ page: PageContext, _ risk: Risk) -> HTML {
        let path = "/risks/\(risk.id.rawValue)"
        let links: [HTML] = risk.requirements.map { id in
            H.li(H.a("/requirements/\(id)", .text(id)), .text(" "),
                 .element("label", [], [H.input("unlink", id: nil, type: "checkbox", value: id), .text(" unlink")]))
        }
        return [
            H.h1(risk.title ?? "Risk"),
            H.p(.text("Score \(risk.score.map(String.init) ?? "not rated"), level \(risk.level?.rawValue ?? "not rated"). Logged by \(risk.record.updatedBy).")),
            risk.record.conflictedFields.isEmpty ? .empty
                : .element("p", [("class", "alert")], [.text("Assessors disagree on \(risk.record.conflictedFields.joined(separator: ", ")). "), H.a("/conflicts", "Resolve it")]),
            page.form(path, back: path, fields(risk) + [
                H.h2("Linked requirements"), links.isEmpty ? H.p("None yet.") : H.ul(links),
                H.button("Save risk"),
            ]),
        ]
    }
}

/// Previous and next links for a paged list.
enum Pager {
    static func links(_ path: String, number: Int, pages: Int) -> HTML {
        guard pages > 1 else { return .empty }
        return .element("nav", [("class", "pager"), ("aria-label", "Pages")], [
            number > 1 ? H.a("\(path)?page=\(number - 1)", "Previous page") : .empty,
            H.span("Page \(number) of \(pages)"),
            number < pages ? H.a("\(path)?page=\(number + 1)", "Next page") : .empty,
        ])
    }
}

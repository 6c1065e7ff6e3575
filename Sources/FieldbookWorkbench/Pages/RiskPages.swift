import FieldbookModel
import FieldbookReports
import FieldbookStore
import Hummingbird

/// `/risks`: the risk register, worst first, a page of 100 at a time (an engagement may log
/// 10,000), with a form to log a risk; `/risks/{id}`: one risk, its fields in a form, and its
/// links to requirements.
enum RiskPages: WorkbenchPages {
    static func add(to router: Router<WorkbenchContext>, workbench: Workbench) {
        router.get("/risks") { request, context in
            let page = try PageContext(workbench, context: context)
            return try page.page("Risks", current: "/risks", try register(page, number: request.pageNumber))
        }
        router.get("/risks/:id") { _, context in
            let page = try PageContext(workbench, context: context)
            return try page.entityPage(context, find: { try $0.live(Risk.self, $1) }) { risk in
                try page.page(risk.title ?? "Risk", current: "/risks", detail(page, risk))
            }
        }
        router.post("/risks") { request, context in
            try await Action.run(workbench, request, context) { form, workspace in
                let id = EntityID(UUIDv7.make())!
                var edits = EntityEdits<RiskField>(id)
                try set(&edits, form)
                edits.link(.requirements, try LinkedRequirements.read(form, workspace))
                edits.link(.treatedBy, try LinkedRequirements.read(form, workspace, field: "treated_by"))
                try workspace.domain.write(edits)
                return "Logged risk \(form["title"] ?? "")."
            }
        }
        router.post("/risks/:id") { request, context in
            try await Action.run(workbench, request, context) { form, workspace in
                let risk = try workspace.domain.live(Risk.self, try context.parameters.require("id"))
                var edits = EntityEdits<RiskField>(risk.id, current: risk.record)
                try set(&edits, form)
                edits.linkMissing(.requirements, try LinkedRequirements.read(form, workspace))
                edits.unlinkPresent(.requirements, form.all("unlink"))
                edits.linkMissing(.treatedBy, try LinkedRequirements.read(form, workspace, field: "treated_by"))
                edits.unlinkPresent(.treatedBy, form.all("untreat"))
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
        try edits.set(.residualLikelihood, try form.integer("residual_likelihood", label: "Residual likelihood"))
        try edits.set(.residualImpact, try form.integer("residual_impact", label: "Residual impact"))
        try edits.accept(by: form.text("accepted_by"), on: form.text("accepted_on"), note: form.text("acceptance_note"), today: Today.utc())
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
            H.field("Treatment", id: "treatment", H.select("treatment", id: "treatment", options: H.choices(RiskTreatment.self),
                                                         selected: risk?.treatment?.rawValue, blank: "not chosen")),
            H.field("Status", id: "status", H.select("status", id: "status", options: H.choices(RiskStatus.self),
                                                   selected: (risk?.status ?? .open).rawValue)),
            H.field("Description", id: "description", H.textarea("description", id: "description", value: risk?.description)),
            LinkedRequirements.field(),
            LinkedRequirements.field(name: "treated_by", label: "Controls treating it (ids, comma-separated)"),
            H.field("Residual likelihood, after treatment", id: "residual_likelihood",
                    H.select("residual_likelihood", id: "residual_likelihood", options: scale, selected: risk?.residualLikelihood.map(String.init), blank: "not rated")),
            H.field("Residual impact, after treatment", id: "residual_impact",
                    H.select("residual_impact", id: "residual_impact", options: scale, selected: risk?.residualImpact.map(String.init), blank: "not rated")),
            H.field("Residual risk accepted by", id: "accepted_by", H.input("accepted_by", id: "accepted_by", value: risk?.acceptedBy)),
            H.field("Accepted on (default today)", id: "accepted_on", H.input("accepted_on", id: "accepted_on", type: "date", value: risk?.acceptedOn)),
            H.field("What the acceptance says", id: "acceptance_note", H.textarea("acceptance_note", id: "acceptance_note", value: risk?.acceptanceNote)),
        ]
    }

    static func register(_ page: PageContext, number: Int) throws -> HTML {
        let risks = try page.workspace.all(Risk.self).sorted { ($0.score ?? 0, $1.id) > ($1.score ?? 0, $0.id) }
        let paged = Pager(risks, number: number)
        let table = H.table(caption: "Risk register, worst first (page \(paged.number) of \(paged.pages))",
                            header: ["risk", "likelihood", "impact", "score", "level", "owner", "treatment", "status"],
                            rows: paged.shown.map { risk in
                                [H.a("/risks/\(risk.id.rawValue)", .text(risk.title ?? risk.id.rawValue)), .text(risk.likelihood.map(String.init) ?? ""),
                                 .text(risk.impact.map(String.init) ?? ""), .text(risk.score.map(String.init) ?? ""), .text(risk.level?.rawValue ?? ""),
                                 .text(risk.owner ?? ""), .text(risk.treatment?.rawValue ?? ""), .text(risk.status?.rawValue ?? "")]
                            })
        return [
            H.h1("Risks"), H.p(.text("\(risks.count) risks logged.")),
            risks.isEmpty ? H.p("No risk logged yet.") : table,
            paged.links("/risks"),
            H.h2("Log a risk"), page.form("/risks", back: "/risks", fields(nil) + [H.button("Log risk")]),
        ]
    }

    static func detail(_ page: PageContext, _ risk: Risk) -> HTML {
        let path = "/risks/\(risk.id.rawValue)"
        return [
            H.h1(risk.title ?? "Risk"),
            H.p(.text("Score \(risk.score.map(String.init) ?? "not rated"), level \(risk.level?.rawValue ?? "not rated"). Logged by \(risk.record.updatedBy).")),
            ConflictAlert.of(risk.record),
            page.form(path, back: path, fields(risk) + [
                LinkedRequirements.list(risk.requirements),
                LinkedRequirements.list(risk.treatedBy, title: "Controls treating it", unlink: "untreat"),
                H.button("Save risk"),
            ]),
        ]
    }
}

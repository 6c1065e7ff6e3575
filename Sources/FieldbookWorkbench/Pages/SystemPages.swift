import FieldbookModel
import FieldbookStore
import Hummingbird

/// `/systems`: the inventory of AI systems in scope (ISO/IEC 42001 4.3) with a form to add one,
/// and every impact assessment (6.1.4, 8.4, A.5) with the system it assesses; `/systems/{id}`:
/// one system, its fields in a form, its impact assessments and a form to record one. The same
/// operations as `fieldbook system` and `fieldbook impact`.
enum SystemPages: WorkbenchPages {
    static func add(to router: Router<WorkbenchContext>, workbench: Workbench) {
        router.get("/systems") { _, context in
            let page = try PageContext(workbench, context: context)
            return try page.page("AI systems", current: "/systems", try inventory(page))
        }
        router.get("/systems/:id") { _, context in
            let page = try PageContext(workbench, context: context)
            return try page.entityPage(context, find: { try $0.liveSystem($1) }) { system in
                try page.page(system.name ?? "AI system", current: "/systems", try detail(page, system))
            }
        }
        router.post("/systems") { request, context in
            try await Action.run(workbench, request, context) { form, workspace in
                var edits = EntityEdits<SystemField>(EntityID(UUIDv7.make())!)
                try set(&edits, form)
                // As `system add`: in scope unless said otherwise.
                if form.text("scope") == nil { try edits.set(.inScope, true) }
                try workspace.domain.write(edits)
                return "Added AI system \(form["name"] ?? "")."
            }
        }
        router.post("/systems/:id") { request, context in
            try await Action.run(workbench, request, context) { form, workspace in
                let system = try workspace.domain.liveSystem(try context.parameters.require("id"))
                var edits = EntityEdits<SystemField>(system.id, current: system.record)
                try set(&edits, form)
                return try workspace.domain.write(edits) ? "Saved AI system \(system.name ?? system.id.rawValue)." : "Nothing changed."
            }
        }
        router.post("/systems/:id/impacts") { request, context in
            try await Action.run(workbench, request, context) { form, workspace in
                let system = try workspace.domain.liveSystem(try context.parameters.require("id"))
                let evidence = try form.all("evidence").map { try workspace.domain.live(Evidence.self, $0).id.rawValue }
                var edits = EntityEdits<ImpactField>(EntityID(UUIDv7.make())!)
                try edits.set(.summary, form.text("summary"))
                try edits.set(.affected, form.text("affected"))
                try edits.set(.societal, form.text("societal"))
                try edits.set(.severity, try form.integer("severity", label: "Severity"))
                try edits.set(.likelihood, try form.integer("likelihood", label: "Likelihood"))
                try edits.set(.date, form.text("date"))
                edits.link(.systems, [system.id.rawValue])
                edits.link(.evidence, evidence)
                try workspace.domain.write(edits)
                return "Recorded an impact assessment of \(system.name ?? system.id.rawValue)."
            }
        }
    }

    /// A system's fields as the form gives them; a blank field leaves the value as it is. The
    /// domain refuses a blank name or owner, and a name another system holds.
    static func set(_ edits: inout EntityEdits<SystemField>, _ form: FormInput) throws {
        if let name = form["name"] { try edits.set(.name, name) }
        try edits.set(.purpose, form.text("purpose"))
        try edits.set(.owner, form.text("owner"))
        try edits.set(.stage, form.text("stage").flatMap(SystemStage.init(rawValue:)))
        try edits.set(.riskTier, form.text("risk_tier").flatMap(RiskTier.init(rawValue:)))
        try edits.set(.inScope, form.text("scope").map { $0 == "in" })
    }

    static func fields(_ system: AISystem?) -> [HTML] {
        [
            H.field("Name", id: "name", H.input("name", id: "name", value: system?.name, required: true)),
            H.field("Purpose: what the system is for", id: "purpose", H.textarea("purpose", id: "purpose", value: system?.purpose)),
            H.field("Owner", id: "owner", H.input("owner", id: "owner", value: system?.owner)),
            H.field("Stage", id: "stage", H.select("stage", id: "stage", options: H.choices(SystemStage.self), selected: system?.stage?.rawValue, blank: "not said")),
            H.field("Risk tier", id: "risk_tier", H.select("risk_tier", id: "risk_tier", options: H.choices(RiskTier.self),
                                                        selected: system?.riskTier?.rawValue, blank: "not rated")),
            H.field("Scope", id: "scope", H.select("scope", id: "scope", options: [("in", "in the management system's scope"), ("out", "out of scope")],
                                                 selected: system?.inScope == false ? "out" : "in")),
        ]
    }

    static func inventory(_ page: PageContext) throws -> HTML {
        let systems = try page.workspace.all(AISystem.self)
        let impacts = try page.workspace.all(ImpactAssessment.self)
        let names = Dictionary(systems.map { ($0.id.rawValue, $0.name ?? $0.id.rawValue) }, uniquingKeysWith: { first, _ in first })
        let table = H.table(caption: "AI system inventory", header: ["system", "stage", "risk tier", "scope", "owner", "impact assessments"],
                            rows: systems.map { system in
                                [H.a("/systems/\(system.id.rawValue)", .text(system.name ?? system.id.rawValue)), .text(system.stage?.rawValue ?? ""),
                                 .text(system.riskTier?.rawValue ?? ""), .text(system.inScope == false ? "out of scope" : "in scope"),
                                 .text(system.owner ?? ""), .text(String(impacts.filter { $0.systems.contains(system.id.rawValue) }.count))]
                            })
        let systemLinks = { (impact: ImpactAssessment) -> HTML in
            .group(impact.systems.map { id in names[id].map { H.a("/systems/\(id)", .text($0)) } ?? .text(id) })
        }
        return [
            H.h1("AI systems"),
            systems.isEmpty ? H.p("No AI system recorded yet.") : table,
            H.h2("Impact assessments"),
            impactTable(impacts, caption: "Every impact assessment, with the system it assesses", system: systemLinks),
            H.h2("Add an AI system"), page.form("/systems", back: "/systems", fields(nil) + [H.button("Add AI system")]),
        ]
    }

    /// Impact assessments as a table; `system` adds a column naming the system assessed.
    static func impactTable(_ impacts: [ImpactAssessment], caption: String, system: ((ImpactAssessment) -> HTML)? = nil) -> HTML {
        guard !impacts.isEmpty else { return H.p("No impact assessment recorded yet.") }
        return H.table(caption: caption, header: (system == nil ? [] : ["system"]) + ["date", "summary", "affected", "societal", "severity", "likelihood"],
                       rows: impacts.map { impact in
                           (system.map { [$0(impact)] } ?? []) + [
                               .text(impact.date ?? ""), .text(impact.summary ?? ""), .text(impact.affected ?? ""), .text(impact.societal ?? ""),
                               .text(impact.severity.map(String.init) ?? ""), .text(impact.likelihood.map(String.init) ?? ""),
                           ]
                       })
    }

    static func detail(_ page: PageContext, _ system: AISystem) throws -> HTML {
        let path = "/systems/\(system.id.rawValue)"
        let impacts = try page.workspace.all(ImpactAssessment.self).filter { $0.systems.contains(system.id.rawValue) }
        let evidence = try page.workspace.all(Evidence.self)
        let scale = (1...5).map { (String($0), String($0)) }
        return [
            H.h1(system.name ?? "AI system"),
            ConflictAlert.of(system.record),
            page.form(path, back: path, fields(system) + [H.button("Save AI system")]),
            H.h2("Impact assessments"),
            impactTable(impacts, caption: "Impact assessments of \(system.name ?? "this system")"),
            H.h2("Record an impact assessment"),
            page.form("\(path)/impacts", back: path, [
                H.field("Summary: what the assessment found", id: "summary", H.textarea("summary", id: "summary", value: nil)),
                H.field("Individuals or groups affected", id: "affected", H.input("affected", id: "affected")),
                H.field("Impacts on society", id: "societal", H.input("societal", id: "societal")),
                H.field("Severity (1 to 5)", id: "severity", H.select("severity", id: "severity", options: scale, selected: nil, blank: "not rated")),
                H.field("Likelihood (1 to 5)", id: "likelihood", H.select("likelihood", id: "likelihood", options: scale, selected: nil, blank: "not rated")),
                H.field("Assessed on", id: "date", H.input("date", id: "date", type: "date"), hint: "YYYY-MM-DD"),
                evidence.isEmpty ? .empty : H.field("Supporting evidence (choose any)", id: "evidence",
                    .element("select", [("name", "evidence"), ("id", "evidence"), ("multiple", "")],
                             evidence.map { .element("option", [("value", $0.id.rawValue)], [.text($0.filename ?? $0.id.rawValue)]) })),
                H.button("Record impact assessment"),
            ]),
        ]
    }
}

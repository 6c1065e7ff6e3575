import FieldbookCatalogs
import FieldbookModel
import FieldbookStore
import Hummingbird

/// `/applicability`: the Statement of Applicability (ISO/IEC 42001 6.1.3): every Annex A
/// control with its decision (included, excluded or undecided), its justification and its
/// result, and on each row a form to include or exclude it, as `fieldbook applicability set`
/// does. The domain refuses an exclusion without a justification.
enum ApplicabilityPage: WorkbenchPages {
    static func add(to router: Router<WorkbenchContext>, workbench: Workbench) {
        router.get("/applicability") { _, context in
            let page = try PageContext(workbench, context: context)
            return try page.page("Statement of Applicability", current: "/applicability", try body(page))
        }
        router.post("/applicability/:id") { request, context in
            try await Action.run(workbench, request, context) { form, workspace in
                let library = try workspace.libraries.catalogs(mappings: false).library
                let control: Requirement
                do { control = try library.index.resolve(try context.parameters.require("id")) } catch let error as RequirementLookupError {
                    throw WorkbenchRefusal(.notFound, "\(error)")
                }
                guard let decision = form.text("applicability").flatMap(Applicability.init(rawValue:)) else {
                    throw WorkbenchRefusal(.badRequest, "Choose included or excluded for \(control.id.qualified).")
                }
                let entity = EntityID.applicability(for: control.id)
                var edits = EntityEdits<ApplicabilityField>(entity, current: try workspace.record(entity))
                try edits.set(.applicability, decision)
                try edits.set(.justification, form.text("justification"))
                let wrote = try workspace.domain.write(edits)
                return "\(control.id.qualified): \(decision.rawValue)\(wrote ? "" : " (unchanged)")"
            }
        }
    }

    static func body(_ page: PageContext) throws -> HTML {
        let workspace = page.workspace
        var decisions: [RequirementID: ControlApplicability] = [:]
        for decision in try workspace.all(ControlApplicability.self) {
            if let control = decision.control { decisions[control] = decision }
        }
        let controls = page.catalogs.iso42001.requirements.filter { $0.level == .control }
        let rows: [[HTML]] = try controls.map { control in
            let decision = decisions[control.id]
            let result = try workspace.entity(AssessmentResult.self, EntityID.result(for: control.id))
            return [
                H.a("/requirements/\(control.id.qualified)", .text(control.ref)),
                .text(control.headline),
                [.text(decision?.applicability?.rawValue ?? "undecided"), ConflictAlert.of(decision?.record)],
                .text(decision?.justification ?? ""),
                .text(result?.status?.rawValue ?? "not assessed"),
                form(page, control, decision),
            ]
        }
        let counts = Dictionary(grouping: controls, by: { decisions[$0.id]?.applicability?.rawValue ?? "undecided" }).mapValues(\.count)
        return [
            H.h1("Statement of Applicability"),
            H.p(.text("\(controls.count) Annex A controls: \(counts["included"] ?? 0) included, \(counts["excluded"] ?? 0) excluded, "
                      + "\(counts["undecided"] ?? 0) undecided. An exclusion needs a justification.")),
            H.table(caption: "Annex A controls with their decision, justification and result",
                    header: ["control", "title", "decision", "justification", "result", "change the decision"], rows: rows),
        ]
    }

    /// The row's form: the decision and why.
    static func form(_ page: PageContext, _ control: Requirement, _ decision: ControlApplicability?) -> HTML {
        let id = control.ref
        return page.form("/applicability/\(control.id.qualified)", back: "/applicability", [
            H.field("Decision on \(control.ref)", id: "applicability-\(id)",
                    H.select("applicability", id: "applicability-\(id)", options: H.choices(Applicability.self),
                             selected: decision?.applicability?.rawValue, blank: decision?.applicability == nil ? "choose" : nil)),
            H.field("Justification for \(control.ref)", id: "justification-\(id)",
                    H.input("justification", id: "justification-\(id)", value: decision?.justification)),
            H.button("Save \(control.ref)", class: "secondary"),
        ])
    }
}

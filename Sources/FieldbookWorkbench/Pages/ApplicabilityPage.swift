import FieldbookCatalogs
import FieldbookModel
import FieldbookReports
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
                try edits.set(.reason, form.text("reason").flatMap(ApplicabilityReason.init(rawValue:)))
                let wrote = try workspace.domain.write(edits)
                return "\(control.id.qualified): \(decision.rawValue)\(wrote ? "" : " (unchanged)")"
            }
        }
    }

    /// The statement as the report draws it (`StatementOfApplicability`): an explicit decision or
    /// the one derived from the risks a control treats, every reason, and a contradiction
    /// between an exclusion and a risk's treatment, marked.
    static func body(_ page: PageContext) throws -> HTML {
        let workspace = page.workspace
        var decisions: [RequirementID: ControlApplicability] = [:]
        for decision in try workspace.all(ControlApplicability.self) {
            if let control = decision.control { decisions[control] = decision }
        }
        let statement = StatementOfApplicability(data: try ReportData.load(workspace, library: page.catalogs))
        let controls = page.catalogs.iso42001.requirements.filter { $0.level == .control }
        let entries = Dictionary(statement.controls.map { ($0.control, $0) }, uniquingKeysWith: { first, _ in first })
        let rows: [[HTML]] = controls.map { control in
            let decision = decisions[control.id]
            let entry = entries[control.id.qualified]
            var why: [HTML] = []
            if let justification = entry?.justification { why.append(H.p(.text(justification))) }
            if let reason = entry?.reason { why.append(H.p(H.span(reason, class: "tag"))) }
            if let derived = entry?.derivedReason { why.append(H.p(.text(derived))) }
            if let contradiction = entry?.contradiction { why.append(.element("p", [("class", "alert")], [.text(contradiction)])) }
            let applicability = entry?.applicability ?? decision?.applicability?.rawValue ?? "undecided"
            return [
                H.a("/requirements/\(control.id.qualified)", .text(control.ref)),
                .text(control.headline),
                [.text(applicability), entry?.derived == true ? [.text(" "), H.span("derived", class: "tag")] : .empty, ConflictAlert.of(decision?.record)],
                .group(why),
                .text(entry?.implementation ?? "not assessed"),
                form(page, control, decision),
            ]
        }
        let s = statement.summary
        return [
            H.h1("Statement of Applicability"),
            H.p(.text("\(controls.count) Annex A controls: \(s.included) included, \(s.excluded) excluded, \(s.undecided) undecided. "
                      + "An exclusion needs a justification; a control a risk names as treating it is included for that risk unless decided otherwise.")),
            H.table(caption: "Annex A controls with their decision, why, and result",
                    header: ["control", "title", "decision", "why", "result", "change the decision"], rows: rows),
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
            H.field("Kind of reason for \(control.ref)", id: "reason-\(id)",
                    H.select("reason", id: "reason-\(id)", options: H.choices(ApplicabilityReason.self),
                             selected: decision?.reason?.rawValue, blank: "not given")),
            H.button("Save \(control.ref)", class: "secondary"),
        ])
    }
}

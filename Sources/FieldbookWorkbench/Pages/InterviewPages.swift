import FieldbookModel
import FieldbookStore
import Hummingbird

/// `/interviews`: the interviews held during fieldwork (issue 30), earliest first, and a form
/// recording one; `/interviews/{id}`: one interview (with whom, in what role, when, about which
/// requirements, the notes taken) in a form, and its history. The same operations as
/// `fieldbook interview add|update`: the domain decides what is refused.
enum InterviewPages: WorkbenchPages {
    static func add(to router: Router<WorkbenchContext>, workbench: Workbench) {
        router.get("/interviews") { request, context in
            let page = try PageContext(workbench, context: context)
            return try page.page("Interviews", current: "/interviews", try list(page, number: request.pageNumber))
        }
        router.get("/interviews/:id") { _, context in
            let page = try PageContext(workbench, context: context)
            return try page.entityPage(context, find: { try $0.live(Interview.self, $1) }) { interview in
                try page.page("Interview with \(interview.with)", current: "/interviews", try detail(page, interview))
            }
        }
        router.post("/interviews") { request, context in
            try await Action.run(workbench, request, context) { form, workspace in
                // As `interview add`, which asks for both before any work.
                guard form.text("with") != nil else { throw WorkbenchRefusal(.badRequest, "Say who was interviewed, as \"NAME, ROLE\".") }
                guard form.text("date") != nil else { throw WorkbenchRefusal(.badRequest, "Say when the interview was held (YYYY-MM-DD).") }
                var edits = EntityEdits<InterviewField>(EntityID(UUIDv7.make())!)
                try set(&edits, form)
                edits.link(.requirements, try LinkedRequirements.read(form, workspace))
                try workspace.domain.write(edits)
                return "Recorded the interview with \(form["with"] ?? "") (interview \(edits.entity))."
            }
        }
        router.post("/interviews/:id") { request, context in
            try await Action.run(workbench, request, context) { form, workspace in
                let interview = try workspace.domain.live(Interview.self, try context.parameters.require("id"))
                var edits = EntityEdits<InterviewField>(interview.id, current: interview.record)
                try set(&edits, form)
                edits.linkMissing(.requirements, try LinkedRequirements.read(form, workspace))
                edits.unlinkPresent(.requirements, form.all("unlink"))
                return try workspace.domain.write(edits) ? "Saved interview \(interview.id)." : "Nothing changed."
            }
        }
    }

    /// The fields as the form gives them; a blank field leaves the value as it is. "NAME, ROLE"
    /// is read as `--with` reads it; the domain refuses a blank name and a date that is not `YYYY-MM-DD`.
    static func set(_ edits: inout EntityEdits<InterviewField>, _ form: FormInput) throws {
        if let with = form.text("with") {
            let person = Interview.person(with)
            try edits.set(.interviewee, person.name)
            try edits.set(.role, person.role)
        }
        try edits.set(.date, form.text("date"))
        try edits.set(.notes, form.text("notes"))
    }

    static func fields(_ interview: Interview?, requirements: HTML = .empty) -> [HTML] {
        [
            H.field("With whom (name, role)", id: "interview-with", H.input("with", id: "interview-with", value: interview?.with, required: interview == nil),
                    hint: "Dana Lee, Head of Data"),
            H.field("Held on", id: "interview-date", H.input("date", id: "interview-date", type: "date", value: interview?.date, required: interview == nil),
                    hint: "YYYY-MM-DD"),
            requirements,
            H.field("Notes taken", id: "interview-notes", H.textarea("notes", id: "interview-notes", value: interview?.notes, rows: 6)),
        ]
    }

    static func list(_ page: PageContext, number: Int) throws -> HTML {
        let interviews = try page.workspace.all(Interview.self).sorted { ($0.date ?? "", $0.id) < ($1.date ?? "", $1.id) }
        let paged = Pager(interviews, number: number)
        return [
            H.h1("Interviews"),
            H.p(.text("\(counted(interviews.count, "interview")) recorded, earliest first.")),
            interviews.isEmpty ? H.p("No interview recorded yet.") : H.table(
                caption: "Interviews, earliest first (page \(paged.number) of \(paged.pages))",
                header: ["with", "role", "held on", "requirements"],
                rows: paged.shown.map { interview in
                    [H.a("/interviews/\(interview.id.rawValue)", .text(interview.interviewee ?? interview.id.rawValue)), .text(interview.role ?? ""),
                     .text(interview.date ?? ""), FindingPages.requirementLinks(interview.requirements)]
                }),
            paged.links("/interviews"),
            H.h2("Record an interview"),
            page.form("/interviews", back: "/interviews", fields(nil, requirements: LinkedRequirements.field(
                required: true, label: "Requirements it speaks to (ids, comma-separated)")) + [H.button("Record interview")]),
        ]
    }

    static func detail(_ page: PageContext, _ interview: Interview) throws -> HTML {
        let path = "/interviews/\(interview.id.rawValue)"
        return [
            H.h1("Interview with \(interview.with)"),
            H.p(.text("Held on \(interview.date ?? "a day not recorded"). Recorded by \(interview.record.updatedBy).")),
            ConflictAlert.of(interview.record),
            page.form(path, back: path, fields(interview) + [
                LinkedRequirements.list(interview.requirements),
                LinkedRequirements.field(),
                H.button("Save interview"),
            ]),
            try ChangeHistory.section(page.workspace, interview.id, caption: "Every change to this interview, oldest first", none: "No change recorded."),
        ]
    }

    /// On a requirement's page: the interviews that speak to it.
    static func forRequirement(_ page: PageContext, _ requirement: RequirementID) throws -> HTML {
        let interviews = try page.workspace.entities(.interview, linkedTo: requirement).compactMap { $0.as(Interview.self) }
            .sorted { ($0.date ?? "", $0.id) < ($1.date ?? "", $1.id) }
        return [
            H.h2("Interviews"),
            interviews.isEmpty ? H.p(.text("No interview speaks to it yet; "), H.a("/interviews", "record one"), .text(".")) : H.ul(interviews.map { interview in
                H.li(H.a("/interviews/\(interview.id.rawValue)", .text("Interview with \(interview.with)")), .text(" on \(interview.date ?? "a day not recorded")"))
            }),
        ]
    }
}

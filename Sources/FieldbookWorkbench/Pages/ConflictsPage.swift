import FieldbookModel
import FieldbookReplica
import FieldbookStore
import Hummingbird

/// `/conflicts`: each field assessors wrote concurrently, its competing values side by side
/// with their authors and times, a "keep" button on each author's value and a form to write a
/// new value, both settled through `workspace.domain.resolve` as `fieldbook resolve` settles them.
enum ConflictsPage: WorkbenchPages {
    static func add(to router: Router<WorkbenchContext>, workbench: Workbench) {
        router.get("/conflicts") { _, context in
            let page = try PageContext(workbench, context: context)
            return try page.page("Conflicts", current: "/conflicts", try body(page))
        }
        router.post("/conflicts/resolve") { request, context in
            try await Action.run(workbench, request, context) { form, workspace in
                guard let entity = form["entity"].flatMap(EntityID.init), let field = form["field"] else {
                    throw WorkbenchRefusal(.badRequest, "This form names no conflict; reload the conflicts page and choose again.")
                }
                let choice: ResolutionChoice
                if let assessor = form["keep"] {
                    choice = .keep(assessor: assessor)
                } else if let value = form.text("value") {
                    choice = .value(value)
                } else {
                    throw WorkbenchRefusal(.badRequest, "Type the value to keep for \(field), or keep one assessor's value.")
                }
                let resolution = try workspace.domain.resolve(entity, field: field, choice: choice)
                // The sentence `fieldbook resolve` prints.
                return "\(resolution.entity) \(field) = \(resolution.value)\(resolution.settledConflict ? " (conflict resolved)" : "")"
            }
        }
    }

    static func body(_ page: PageContext) throws -> HTML {
        let conflicts = try page.workspace.conflicts()
        guard !conflicts.isEmpty else { return [H.h1("Conflicts"), H.p("No conflicts: every field holds one value.")] }
        return [
            H.h1("Conflicts"),
            H.p(.text("\(conflicts.count) fields hold more than one value, written by assessors who had not seen each other's. "
                      + "Keep one value, or write a new one: it supersedes every competing value, which stays in the history.")),
            .group(try conflicts.enumerated().map { number, conflict in try section(page, conflict, number: number) }),
        ]
    }

    /// One conflict: what it is on, each value with its author and time, and the two ways to settle it.
    static func section(_ page: PageContext, _ conflict: Conflict, number: Int) throws -> HTML {
        let record = try page.workspace.record(conflict.entity)
        let name = label(conflict.entity, kind: conflict.kind, record: record)
        let hidden: [HTML] = [H.input("entity", id: nil, type: "hidden", value: conflict.entity.rawValue),
                              H.input("field", id: nil, type: "hidden", value: conflict.field)]
        var offered = Set<String>()
        let rows: [[HTML]] = conflict.values.map { value in
            // Keeping is by author: one button for each author's values.
            let keep: HTML = offered.insert(value.author).inserted
                ? page.form("/conflicts/resolve", back: "/conflicts", class: "inline", hidden + [
                    .element("button", [("type", "submit"), ("name", "keep"), ("value", value.author), ("class", "secondary")],
                             [.text("Keep \(value.author)'s value")]),
                ])
                : H.span("(kept with \(value.author)'s other value)", class: "muted")
            return [.text(shown(value, in: conflict)), .text(value.author), .text(Timestamps.rfc3339(value.hlc)), keep]
        }
        let id = "value-\(number)"
        return .element("section", [("aria-labelledby", "conflict-\(number)")], [
            H.h2("\(name): \(conflict.field)\(conflict.isDeletion ? " (deleted while edited)" : "")", id: "conflict-\(number)"),
            link(conflict.entity, kind: conflict.kind, record: record, name: name),
            H.table(caption: "Competing values of \(conflict.field) on \(name)", header: ["value", "written by", "at", "settle"], rows: rows),
            page.form("/conflicts/resolve", back: "/conflicts", hidden + [
                H.field("Write a new value of \(conflict.field)", id: id, H.input("value", id: id, required: true), hint: hint(conflict)),
                H.button("Resolve with this value"),
            ]),
        ])
    }

    /// A value as the conflict shows it: "deleted" for a tombstone, and the field for an edit
    /// made to another field while the entity was deleted.
    static func shown(_ value: Change, in conflict: Conflict) -> String {
        if value.isTombstone { return "deleted" }
        return value.field == conflict.field ? Display.value(value.value) : "\(value.field) = \(Display.value(value.value))"
    }

    /// What the field takes, when it is a choice or a flag.
    static func hint(_ conflict: Conflict) -> String? {
        if conflict.field == EntitySchema.deletedField { return "false restores it, true deletes it" }
        guard case .register(let constraint)? = try? EntitySchema.shape(of: conflict.field, in: conflict.kind) else { return nil }
        switch constraint {
        case .choice(let values): return "one of " + values.joined(separator: ", ")
        case .integer(let range): return "a whole number from \(range.lowerBound) to \(range.upperBound)"
        case .date: return "YYYY-MM-DD"
        default: return nil
        }
    }

    /// What the conflict is on, as a person reads it.
    static func label(_ entity: EntityID, kind: EntityKind, record: EntityRecord?) -> String {
        if let requirement = entity.resultRequirement { return "Result of \(requirement.qualified)" }
        if let control = entity.applicabilityControl { return "Applicability of \(control.qualified)" }
        let headline = record?.headline ?? ""
        return "\(kind.rawValue.capitalized) \(headline.isEmpty ? entity.rawValue : headline)"
    }

    /// The page where the entity is worked on, when it has one (a deleted one has none until restored).
    static func link(_ entity: EntityID, kind: EntityKind, record: EntityRecord?, name: String) -> HTML {
        guard record?.deleted != true else { return .empty }
        let path: String? = if let requirement = entity.resultRequirement { "/requirements/\(requirement.qualified)" }
            else if entity.applicabilityControl != nil { "/applicability" }
            else {
                switch kind {
                case .risk: "/risks/\(entity.rawValue)"
                case .finding: "/findings/\(entity.rawValue)"
                case .request: "/requests/\(entity.rawValue)"
                case .test: "/tests/\(entity.rawValue)"
                case .sample: record?.links[SampleField.test.name]?.first.map { "/tests/\($0)" }
                case .interview: "/interviews/\(entity.rawValue)"
                case .system: "/systems/\(entity.rawValue)"
                case .impact: record?.systems.first.map { "/systems/\($0)" }
                default: nil
                }
            }
        return path.map { H.p(H.a($0, .text("Open \(name)"))) } ?? .empty
    }
}

import FieldbookStore

/// The requirements a risk or finding is raised against, as their pages take and show them:
/// typed as `A.6.2.4, GV-1.1` and resolved as the CLI resolves them, listed with an unlink
/// box each.
enum LinkedRequirements {
    /// The requirements typed in the form's `requirements` field (or `name`); none when blank.
    static func read(_ form: FormInput, _ workspace: Workspace, field name: String = "requirements") throws -> [String] {
        guard let text = form.text(name) else { return [] }
        let library = try workspace.libraries.catalogs(mappings: false).library
        var seen = Set<String>()
        return try text.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map { input in
            do { return try library.index.resolve(String(input)).id.qualified } catch {
                throw WorkbenchRefusal(.badRequest, "\(error)")
            }
        }.filter { seen.insert($0).inserted }
    }

    static func field(required: Bool = false, name: String = "requirements", label: String = "Link requirements (ids, comma-separated)") -> HTML {
        H.field(label, id: name, H.input(name, id: name, required: required), hint: "A.6.2.4, GV-1.1, MEASURE 2.11 ...")
    }

    /// The linked requirements, each a link to its page with a box that unlinks it on save
    /// (posted as `unlink`, or the name given).
    static func list(_ ids: [String], title: String = "Linked requirements", unlink: String = "unlink") -> HTML {
        [H.h2(title), ids.isEmpty ? H.p("None yet.") : H.ul(ids.map { id in
            H.li(H.a("/requirements/\(id)", .text(id)), .text(" "),
                 .element("label", [], [H.input(unlink, id: nil, type: "checkbox", value: id), .text(" \(unlink == "unlink" ? "unlink" : "remove") \(id)")]))
        })]
    }
}

/// The line a page shows above an entity whose fields assessors wrote concurrently.
enum ConflictAlert {
    static func of(_ record: EntityRecord?) -> HTML {
        guard let record, !record.conflictedFields.isEmpty else { return .empty }
        return .element("p", [("class", "alert")], [.text("Assessors disagree on \(record.conflictedFields.joined(separator: ", ")). "), H.a("/conflicts", "Resolve it")])
    }
}

import FieldbookCatalogs
import FieldbookModel
import FieldbookStore
import Hummingbird

/// `/frameworks/{key}`: one framework's requirements, bundled or imported, as a tree with each
/// one's result; `?q=` searches ids, titles and text, `?result=` keeps requirements with that
/// result (`not-assessed` for those without one). Excluded controls are marked.
enum FrameworkPage: WorkbenchPages {
    static func add(to router: Router<WorkbenchContext>, workbench: Workbench) {
        router.get("/frameworks/:framework") { request, context in
            let page = try PageContext(workbench, context: context)
            let key = try context.parameters.require("framework")
            guard let catalog = page.catalogs.frameworks.first(where: { $0.framework.rawValue == key }) else {
                return Refusal.page(.notFound, "The engagement holds no framework '\(key)'; the navigation lists those it holds.")
            }
            let query = request.uri.queryParameters["q"].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
            let result = request.uri.queryParameters["result"].map(String.init) ?? ""
            return try page.page(catalog.name, current: "/frameworks/\(key)", try body(page, catalog: catalog, query: query, result: result))
        }
    }

    static func body(_ page: PageContext, catalog: FrameworkCatalog, query: String, result: String) throws -> HTML {
        let statuses = Dictionary(try page.workspace.all(AssessmentResult.self).compactMap { result in
            result.requirement.flatMap { id in result.status.map { (id, $0) } }
        }, uniquingKeysWith: { first, _ in first })
        let excluded = Set(try page.workspace.all(ControlApplicability.self).filter { $0.applicability == .excluded }.compactMap(\.control))
        let path = "/frameworks/\(catalog.framework.rawValue)"
        let filter: HTML = .element("form", [("method", "get"), ("action", path), ("role", "search")], [
            H.field("Search requirements", id: "q", H.input("q", id: "q", type: "search", value: query)),
            H.field("Result", id: "result", H.select("result", id: "result", options: H.choices(AssessmentStatus.self),
                                                     selected: result, blank: "any")),
            H.button("Show"),
        ])
        let line = { (requirement: Requirement) -> HTML in
            var parts: [HTML] = [H.a("/requirements/\(requirement.id.qualified)", .text(requirement.ref)), .text(" " + (requirement.title ?? ""))]
            if requirement.assessable {
                let status = statuses[requirement.id]?.rawValue ?? "not-assessed"
                parts.append(.text(" "))
                parts.append(H.span(status, class: "tag status-\(status)"))
            }
            if excluded.contains(requirement.id) { parts += [.text(" "), H.span("excluded", class: "tag")] }
            return .group(parts)
        }
        let filtering = !query.isEmpty || !result.isEmpty
        let content: HTML
        if filtering {
            let needle = query.lowercased()
            let matches = catalog.requirements.filter { requirement in
                let text = [requirement.id.local, requirement.ref, requirement.title ?? "", requirement.text ?? ""].joined(separator: " ").lowercased()
                guard needle.isEmpty || text.contains(needle) else { return false }
                guard !result.isEmpty else { return true }
                return requirement.assessable && (statuses[requirement.id]?.rawValue ?? "not-assessed") == result
            }
            content = matches.isEmpty ? H.p("No requirement matches.") : H.ul(matches.map { H.li(line($0)) }, class: "tree")
        } else {
            func branch(_ parent: RequirementID?) -> [HTML] {
                let children = parent.map { catalog.children(of: $0) } ?? catalog.requirements.filter { $0.parent == nil }
                return children.map { child in
                    let below = branch(child.id)
                    return .element("li", [], [line(child)] + (below.isEmpty ? [] : [.element("ul", [], below)]))
                }
            }
            content = .element("ul", [("class", "tree")], branch(nil))
        }
        let assessed = catalog.assessable.filter { statuses[$0.id]?.isAssessed == true }.count
        return [H.h1(catalog.name), H.p(.text("\(assessed) of \(catalog.assessable.count) requirements assessed. Version \(catalog.version).")),
                filter, content]
    }
}

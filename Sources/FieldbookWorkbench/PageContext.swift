import FieldbookCatalogs
import FieldbookModel
import FieldbookReplica
import FieldbookReports
import FieldbookStore
import Foundation
import Hummingbird

/// What a page is drawn from: the workspace as it is now, its catalogs, and the session's
/// notice and form token.
struct PageContext {
    let workspace: Workspace
    let catalogs: CatalogLibrary
    let session: SessionGate.Session
    let notice: SessionGate.Notice?
    let workbench: Workbench

    init(_ workbench: Workbench, context: WorkbenchContext) throws {
        self.workbench = workbench
        workspace = try workbench.workspace()
        catalogs = try workspace.libraries.catalogs().library
        session = context.session!
        notice = workbench.gate.takeNotice(for: session)
    }

    /// Gaps opened and closed per quarter: a replay of the whole log (`ProgressReport`), kept by
    /// the workbench until the log moves, so an open dashboard refreshed by the change feed
    /// replays once per change, not once per view.
    func progress(_ data: ReportData) throws -> ProgressReport {
        let position = ProgressCache.Position(latest: try workspace.latestChange(), changes: try workspace.summary().changes,
                                              catalogs: catalogs.frameworks.map(\.framework.rawValue))
        if let kept = workbench.progress.report(at: position) { return kept }
        let report = ProgressReport(changes: try workspace.exchange.changes(missingFrom: VersionVector()), document: data.document,
                                    library: data.library, by: .quarter)
        workbench.progress.keep(report, at: position)
        return report
    }

    /// The page in the workbench's chrome.
    func page(_ title: String, current: String, _ body: HTML) throws -> Response {
        let navigation = Layout.Navigation(frameworks: catalogs.frameworks.map { ($0.framework.rawValue, $0.shortName) },
                                           conflicts: try workspace.summary().conflicts)
        return Layout.page(title: title, current: current, navigation: navigation, notice: notice, body: body)
    }

    /// A form that posts to `action`, carrying the session's token and the page to come back to.
    /// `busy` is said (in the page's live region) while a slow write runs, e.g. a sync.
    func form(_ action: String, back: String, class cls: String? = nil, multipart: Bool = false, busy: String? = nil, _ children: [HTML]) -> HTML {
        .element("form", [("method", "post"), ("action", action), ("class", cls), ("enctype", multipart ? "multipart/form-data" : nil),
                          ("data-busy", busy)],
                 [H.input(FormInput.tokenField, id: nil, type: "hidden", value: session.formToken),
                  H.input(FormInput.backField, id: nil, type: "hidden", value: back)] + children)
    }
}

extension PageContext {
    /// The page of the entity the path's `id` names, found through the domain as the CLI finds
    /// it; one missing or deleted is a not-found page with the domain's sentence.
    func entityPage<Entity>(_ context: WorkbenchContext, find: (WorkspaceDomain, String) throws -> Entity,
                            _ draw: (Entity) throws -> Response) throws -> Response {
        let entity: Entity
        do { entity = try find(workspace.domain, try context.parameters.require("id")) } catch let error as StoreError {
            return Refusal.page(.notFound, error.description)
        }
        return try draw(entity)
    }
}

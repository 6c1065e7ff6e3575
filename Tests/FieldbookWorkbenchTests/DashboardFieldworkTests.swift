import FieldbookCatalogs
import FieldbookModel
import FieldbookReports
import FieldbookStore
@testable import FieldbookWorkbench
import Foundation
import Testing

/// The dashboard's fieldwork figures (issue 30), from the key figures every report shows:
/// requests outstanding and overdue with the list to chase, and evidence older than the
/// engagement's limit; nothing of either while the engagement has no requests and no limit.
struct DashboardFieldworkTests {
    @Test("requests outstanding and overdue, the overdue list, and stale evidence; none of it before there is any")
    func figures() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fb-dash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let workspace = try Workspace.create(at: WorkspaceLocation(root: folder), engagement: EntityID("dash")!, assessor: "Ana",
                                             engagementName: "Dashboard", scope: nil)
        let library = try workspace.libraries.catalogs(mappings: false).library
        func kpis() throws -> KPIs { KPIs(data: try ReportData.load(workspace, library: library)) }
        #expect(DashboardPage.requestCards(try kpis()).isEmpty)
        #expect(DashboardPage.overdueRequests(try kpis().requests?.overdueRequests ?? []).rendered.isEmpty)

        for (title, due) in [("Access review log", "2020-01-31"), ("Model cards", "2099-01-31")] {
            var edits = EntityEdits<RequestField>(EntityID(UUIDv7.make())!)
            try edits.set(.title, title)
            try edits.set(.contact, "Ops <ops@client>")
            try edits.set(.due, due)
            edits.link(.requirements, ["iso42001:A.6.2.8"])
            try workspace.domain.write(edits)
        }
        let file = folder.appendingPathComponent("old.pdf")
        try Data("old".utf8).write(to: file)
        _ = try workspace.domain.attachEvidence(contentsOf: file, description: nil, requirements: ["iso42001:A.6.2.8"], systems: [],
                                                dating: EvidenceDating(asOf: "2020-01-01"))
        var limit = EntityEdits<EngagementField>(workspace.identity.engagement, current: try workspace.record(workspace.identity.engagement))
        try limit.set(.staleAfter, "12m")
        try workspace.domain.write(limit)

        let cards = DashboardPage.requestCards(try kpis()).map(\.rendered)
        #expect(cards.count == 2)
        #expect(cards.first?.contains("Evidence requests outstanding") == true && cards.first?.contains(#"<a href="/requests?overdue=1">1 overdue</a>; 0 received, 0 accepted of 2"#) == true)
        #expect(cards.last?.contains("Evidence older than 12m") == true)
        let overdue = DashboardPage.overdueRequests(try kpis().requests?.overdueRequests ?? []).rendered
        #expect(overdue.contains("Access review log") && overdue.contains("2020-01-31") && !overdue.contains("Model cards"))
        #expect(overdue.contains(#"<a href="/requests/"#) && overdue.contains(#"href="/requests?overdue=1""#), "each links to the request, and to the filtered list")
        #expect(overdue.contains("Ops &lt;ops@client&gt;"), "the contact is escaped")
    }
}

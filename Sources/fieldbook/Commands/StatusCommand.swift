import ArgumentParser
import FieldbookCatalogs
import FieldbookModel
import FieldbookReports
import FieldbookStore

/// `fieldbook status`: who and where this replica is, and how far the assessment has got.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the workspace, its progress and open conflicts.")
    @OptionGroup var output: OutputOptions

    func run() throws {
        let workspace = try WorkspaceContext.open()
        let library = try Catalogs.library()
        let (summary, engagement) = try WorkspaceContext.mapped { (try workspace.summary(), try workspace.record(workspace.identity.engagement)) }
        let (peers, exported, mine) = try WorkspaceContext.mapped { (try workspace.peers(), try workspace.exportedVector(), try workspace.versionVector()) }
        let site = workspace.identity.site
        let today = Today.utc()
        let overdue = try WorkspaceContext.mapped { try workspace.records(.finding) }.filter { ReportData.isOverdue($0, today: today) }
        let unexported = Int(mine.highest(for: site)) - Int(min(exported.entries[site]?.contiguous ?? 0, mine.highest(for: site)))
        let frameworks = library.frameworks.map { catalog in
            StatusDocument.Progress(framework: catalog.framework.rawValue, assessed: summary.assessed[catalog.framework.rawValue] ?? 0,
                                    requirements: catalog.assessable.count)
        }
        let document = StatusDocument(
            workspace: workspace.location.root.path, engagement: .init(id: workspace.identity.engagement.rawValue, name: engagement?.text("name")),
            assessor: workspace.identity.assessor, site: workspace.identity.site.text,
            public_key: workspace.signer.publicKey.base64EncodedString(),
            changes: summary.changes, own_changes: summary.ownChanges, unsynced_changes: max(0, unexported),
            sites_seen: summary.sites, conflicts: summary.conflicts, progress: frameworks,
            risks: summary.entities["risk"] ?? 0, evidence: summary.entities["evidence"] ?? 0, findings: summary.entities["finding"] ?? 0,
            peers: peers.map {
                StatusDocument.Peer(site: $0.site, assessor: $0.assessor, changes_from_them: $0.changesFromThem, they_lack: $0.theyLack,
                                    last_seen: $0.lastSeen.map(Timestamps.rfc3339(milliseconds:)))
            },
            overdue_corrective_actions: overdue.map { .init(finding: $0.id.rawValue, title: $0.text("title") ?? "", due: $0.text("due") ?? "") },
            remotes: [], last_sync: nil)
        try output.emit(document) {
            Terminal.print("Engagement  \(document.engagement.name ?? "(unnamed)")  (\(document.engagement.id))")
            Terminal.print("Assessor    \(document.assessor) on site \(workspace.identity.site.short)")
            for progress in frameworks {
                Terminal.print("Assessed    \(progress.framework): \(progress.assessed) of \(progress.requirements)")
            }
            Terminal.print("Recorded    \(document.risks) risks, \(document.evidence) evidence files, \(document.findings) findings")
            Terminal.print("Changes     \(document.changes) (\(document.own_changes) yours, \(document.unsynced_changes) not yet exported)")
            for peer in document.peers {
                let lack = peer.they_lack.map { ", they lack \($0) of ours" } ?? ", never sent us a bundle"
                Terminal.print("Peer        \(peer.assessor) (\(peer.site.prefix(8))): \(peer.changes_from_them) changes here\(lack)")
            }
            if !document.overdue_corrective_actions.isEmpty {
                Terminal.print("Overdue     \(document.overdue_corrective_actions.count) corrective actions past their due date: "
                    + document.overdue_corrective_actions.map { "\($0.title) (due \($0.due))" }.joined(separator: "; "))
            }
            Terminal.print(document.conflicts == 0 ? "Conflicts   none" : "Conflicts   \(document.conflicts) open; 'fieldbook conflicts' lists them")
        }
    }
}

struct StatusDocument: Encodable {
    struct Engagement: Encodable { let id: String; let name: String? }
    struct Progress: Encodable { let framework: String; let assessed: Int; let requirements: Int }
    let workspace: String
    let engagement: Engagement
    let assessor: String
    let site: String
    /// This workspace's Ed25519 public key: what an administrator binds to the assessor.
    let public_key: String
    let changes: Int
    let own_changes: Int
    let unsynced_changes: Int
    let sites_seen: Int
    let conflicts: Int
    let progress: [Progress]
    let risks: Int
    let evidence: Int
    let findings: Int
    struct Peer: Encodable { let site: String; let assessor: String; let changes_from_them: Int; let they_lack: Int?; let last_seen: String? }
    let peers: [Peer]
    struct Overdue: Encodable { let finding: String; let title: String; let due: String }
    let overdue_corrective_actions: [Overdue]
    let remotes: [String]
    let last_sync: String?
}

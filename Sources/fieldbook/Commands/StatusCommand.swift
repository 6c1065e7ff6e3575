import ArgumentParser
import FieldbookCatalogs
import FieldbookModel
import FieldbookReports
import FieldbookStore
import FieldbookSync

/// `fieldbook status`: who and where this replica is, how far the assessment has got, and
/// which servers it syncs with.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the workspace, its public key, progress, remotes and open conflicts.")

    /// One value alone, for scripts: `token create --public-key "$(fieldbook status --field public-key)"`.
    enum Field: String, ExpressibleByArgument, CaseIterable {
        case publicKey = "public-key", engagement, site, assessor
    }

    @Option(help: "Print only this value: public-key, engagement (its id), site or assessor.") var field: Field?
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if field != nil && output.json { throw ValidationError("--field prints one bare value and --json one document; use one of them.") }
    }

    func run() throws {
        let workspace = try WorkspaceContext.open()
        if let field {
            switch field {
            case .publicKey: Terminal.print(workspace.signer.publicKey.base64EncodedString())
            case .engagement: Terminal.print(workspace.identity.engagement.rawValue)
            case .site: Terminal.print(workspace.identity.site.text)
            case .assessor: Terminal.print(workspace.identity.assessor)
            }
            return
        }
        let document = try WorkspaceStatus(workspace, library: try Catalogs.library(for: workspace, mappings: false), today: Today.utc())
        try output.emit(document) { Self.printText(document) }
    }

    static func printText(_ document: WorkspaceStatus) {
        Terminal.print("Engagement  \(document.engagement.name ?? "(unnamed)")  (\(document.engagement.id))")
        Terminal.print("Assessor    \(document.assessor) on site \(document.site.prefix(8))")
        Terminal.print("Public key  \(document.publicKey)  (give it to a server's administrator: 'fieldbook-server token create --public-key')")
        for progress in document.progress {
            Terminal.print("Assessed    \(progress.framework): \(progress.assessed) of \(progress.requirements)")
        }
        Terminal.print("Recorded    \(counted(document.risks, "risk")), \(counted(document.evidence, "evidence file")), \(counted(document.findings, "finding"))")
        if let libraries = document.libraries {
            let missing = libraries.missing.isEmpty ? "" : "; \(libraries.missing.count) not here yet or damaged (sync to fetch): " + libraries.missing.joined(separator: ", ")
            Terminal.print("Libraries   \(counted(libraries.pinned, "library", "libraries")) pinned\(missing)")
        }
        Terminal.print("Changes     \(document.changes) (\(document.ownChanges) yours, \(document.unsyncedChanges) not yet exported)")
        for peer in document.peers where !peer.site.hasPrefix(WorkspaceStatus.serverSitePrefix) {
            let lack = peer.theyLack.map { ", they lack \($0) of ours" } ?? ", never sent us a bundle"
            Terminal.print("Peer        \(peer.assessor) (site \(peer.site.prefix(8))): \(counted(peer.changesFromThem, "change")) here\(lack)")
        }
        if document.remotes.isEmpty {
            Terminal.print("Remotes     none; 'fieldbook remote add NAME URL --token TOKEN' adds one")
        }
        for remote in document.remotes {
            let lack = remote.serverLacks.map { $0 == 0 ? ", it held everything here" : ", \(counted($0, "change")) here it did not hold" } ?? ""
            Terminal.print("Remote      \(remote.name) \(remote.url): last sync \(remote.lastSync ?? "never")\(lack)")
        }
        // A server synced under a URL no remote names any more (removed or renamed).
        let remoteURLs = Set(document.remotes.map(\.url))
        for peer in document.peers where peer.site.hasPrefix(WorkspaceStatus.serverSitePrefix) && !remoteURLs.contains(String(peer.site.dropFirst(WorkspaceStatus.serverSitePrefix.count))) {
            Terminal.print("Server      \(peer.site.dropFirst(WorkspaceStatus.serverSitePrefix.count)) (no remote names it now): last contact \(peer.lastSeen ?? "never")")
        }
        if !document.overdueCorrectiveActions.isEmpty {
            Terminal.print("Overdue     \(counted(document.overdueCorrectiveActions.count, "corrective action")) past their due date: "
                + document.overdueCorrectiveActions.map { "\($0.title) (due \($0.due))" }.joined(separator: "; "))
        }
        if let overdue = document.overdueRequests {
            Terminal.print("Requests    \(counted(overdue.count, "evidence request")) overdue: "
                + overdue.map { "\($0.title) (due \($0.due)\($0.contact.map { ", from " + $0 } ?? ""))" }.joined(separator: "; "))
        }
        Terminal.print(document.conflicts == 0 ? "Conflicts   none" : "Conflicts   \(document.conflicts) open; 'fieldbook conflicts' lists them")
        for anomaly in document.anomalies ?? [] {
            Terminal.print("Anomaly     \(anomaly.problem) (\(anomaly.entity), received from a peer; this release refuses it, so fix it here)")
        }
        for contradiction in document.contradictions ?? [] {
            Terminal.print("Contradicts \(contradiction.problem); include the control or change the risk's treatment")
        }
    }
}

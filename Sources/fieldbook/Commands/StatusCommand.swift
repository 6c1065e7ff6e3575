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

    /// Sites under which the sync client records what a server held (`server:URL`).
    static let serverSitePrefix = "server:"

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
        let document = try Self.document(for: workspace)
        try output.emit(document) { Self.printText(document) }
    }

    static func document(for workspace: Workspace) throws -> StatusDocument {
        let library = try Catalogs.library(for: workspace, mappings: false)
        let (summary, engagement) = (try workspace.summary(), try workspace.engagement())
        let (peers, exported, mine) = (try workspace.exchange.peers(), try workspace.exchange.exportedVector(), try workspace.versionVector())
        let configuration = try RemoteConfiguration.load(from: workspace)
        let site = workspace.identity.site
        let today = Today.utc()
        let overdue = try workspace.all(Finding.self).filter { $0.isOverdue(today: today) }
        let unexported = Int(mine.highest(for: site)) - Int(min(exported.entries[site]?.contiguous ?? 0, mine.highest(for: site)))
        // Results count where their requirement is still assessable in the catalog: one a newer
        // library version dropped is kept, but is no longer progress on that framework.
        var assessed: [FrameworkID: Int] = [:]
        for result in try workspace.all(AssessmentResult.self) where result.status?.isAssessed == true {
            if let requirement = result.requirement, library.index[requirement]?.assessable == true { assessed[requirement.framework, default: 0] += 1 }
        }
        let frameworks = library.frameworks.map { catalog in
            StatusDocument.Progress(framework: catalog.framework.rawValue, assessed: assessed[catalog.framework] ?? 0,
                                    requirements: catalog.assessable.count)
        }
        let remotes = configuration.remotes.keys.sorted().map { name in
            let remote = configuration.remotes[name]!
            let server = peers.first { $0.site == serverSitePrefix + remote.url }
            return StatusDocument.Remote(name: name, url: remote.url, lastSync: remote.lastSync, serverLacks: server?.theyLack)
        }
        let pinned = try workspace.libraries.verify()
        var document = StatusDocument(
            workspace: workspace.location.root.path, engagement: .init(id: workspace.identity.engagement.rawValue, name: engagement?.name),
            assessor: workspace.identity.assessor, site: site.text,
            publicKey: workspace.signer.publicKey.base64EncodedString(),
            changes: summary.changes, ownChanges: summary.ownChanges, unsyncedChanges: max(0, unexported),
            sitesSeen: summary.sites, conflicts: summary.conflicts, progress: frameworks,
            risks: summary.entities["risk"] ?? 0, evidence: summary.entities["evidence"] ?? 0, findings: summary.entities["finding"] ?? 0,
            peers: peers.map {
                StatusDocument.Peer(site: $0.site, assessor: $0.assessor, changesFromThem: $0.changesFromThem, theyLack: $0.theyLack,
                                    lastSeen: $0.lastSeen.map { Timestamps.rfc3339(milliseconds: $0) })
            },
            overdueCorrectiveActions: overdue.map { .init(finding: $0.id.rawValue, title: $0.title ?? "", due: $0.due ?? "") },
            // RFC 3339 UTC stamps of one format sort as text.
            remotes: remotes, lastSync: remotes.compactMap(\.lastSync).max())
        if !pinned.isEmpty {
            document.libraries = .init(pinned: pinned.count, missing: pinned.filter { $0.condition != .intact }.map(\.library.urn))
        }
        let anomalies = try workspace.domain.anomalies()
        if !anomalies.isEmpty { document.anomalies = anomalies.map { .init(entity: $0.entity.rawValue, problem: $0.problem) } }
        return document
    }

    static func printText(_ document: StatusDocument) {
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
        for peer in document.peers where !peer.site.hasPrefix(serverSitePrefix) {
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
        for peer in document.peers where peer.site.hasPrefix(serverSitePrefix) && !remoteURLs.contains(String(peer.site.dropFirst(serverSitePrefix.count))) {
            Terminal.print("Server      \(peer.site.dropFirst(serverSitePrefix.count)) (no remote names it now): last contact \(peer.lastSeen ?? "never")")
        }
        if !document.overdueCorrectiveActions.isEmpty {
            Terminal.print("Overdue     \(counted(document.overdueCorrectiveActions.count, "corrective action")) past their due date: "
                + document.overdueCorrectiveActions.map { "\($0.title) (due \($0.due))" }.joined(separator: "; "))
        }
        Terminal.print(document.conflicts == 0 ? "Conflicts   none" : "Conflicts   \(document.conflicts) open; 'fieldbook conflicts' lists them")
        for anomaly in document.anomalies ?? [] {
            Terminal.print("Anomaly     \(anomaly.problem) (\(anomaly.entity), received from a peer; this release refuses it, so fix it here)")
        }
    }
}

import FieldbookCatalogs
import FieldbookModel
import FieldbookStore

/// What `fieldbook status --json` prints: the fields of the contract (site id, engagement,
/// unsynced change count, open conflicts, remotes, last sync) and the assessment's progress.
public struct WorkspaceStatus: Encodable, Sendable {
    public struct Engagement: Encodable, Sendable { public let id: String; public let name: String? }
    public struct Progress: Encodable, Sendable { public let framework: String; public let assessed: Int; public let requirements: Int }
    public struct Peer: Encodable, Sendable {
        public let site: String
        public let assessor: String
        public let changesFromThem: Int
        public let theyLack: Int?
        public let lastSeen: String?

        enum CodingKeys: String, CodingKey {
            case site, assessor
            case changesFromThem = "changes_from_them"
            case theyLack = "they_lack"
            case lastSeen = "last_seen"
        }
    }
    public struct Overdue: Encodable, Sendable { public let finding: String; public let title: String; public let due: String }
    /// A server this workspace syncs with; `serverLacks` counts the changes held here that the
    /// server did not hold at the last sync (nil: never synced).
    public struct Remote: Encodable, Sendable {
        public let name: String
        public let url: String
        public let lastSync: String?
        public let serverLacks: Int?

        enum CodingKeys: String, CodingKey {
            case name, url
            case lastSync = "last_sync"
            case serverLacks = "server_lacks"
        }
    }

    public let workspace: String
    public let engagement: Engagement
    public let assessor: String
    public let site: String
    /// This workspace's Ed25519 public key: what an administrator binds to the assessor.
    public let publicKey: String
    public let changes: Int
    public let ownChanges: Int
    public let unsyncedChanges: Int
    public let sitesSeen: Int
    public let conflicts: Int
    public let progress: [Progress]
    public let risks: Int
    public let evidence: Int
    public let findings: Int
    public let peers: [Peer]
    public let overdueCorrectiveActions: [Overdue]
    public let remotes: [Remote]
    /// The latest successful sync with any remote.
    public let lastSync: String?
    /// Pinned framework and mapping libraries; nil when the engagement pins none.
    public internal(set) var libraries: Libraries? = nil
    /// State that breaks a rule local writes obey, received from a peer (`Workspace.anomalies`);
    /// nil when there is none.
    public internal(set) var anomalies: [Anomaly]? = nil
    /// Annex A controls excluded while live risks name them as treating controls
    /// (`RiskTreatmentRules`); nil when there is none.
    public internal(set) var contradictions: [Contradiction]? = nil
    /// Evidence requests waiting on the client past their due date (`RequestDeadline`); nil
    /// when there is none.
    public internal(set) var overdueRequests: [OverdueRequest]? = nil

    public struct OverdueRequest: Encodable, Sendable {
        public let request: String
        public let title: String
        public let due: String
        public let contact: String?
        public let status: String
    }

    public struct Anomaly: Encodable, Sendable { public let entity: String; public let problem: String }
    public struct Contradiction: Encodable, Sendable { public let control: String; public let risks: [String]; public let problem: String }

    /// How many libraries the engagement pins, and which of them have no intact bytes here.
    public struct Libraries: Encodable, Sendable {
        public let pinned: Int
        public let missing: [String]
    }

    enum CodingKeys: String, CodingKey {
        case workspace, engagement, assessor, site
        case publicKey = "public_key"
        case changes
        case ownChanges = "own_changes"
        case unsyncedChanges = "unsynced_changes"
        case sitesSeen = "sites_seen"
        case conflicts, progress, risks, evidence, findings, peers
        case overdueCorrectiveActions = "overdue_corrective_actions"
        case remotes
        case lastSync = "last_sync"
        case libraries, anomalies, contradictions
        case overdueRequests = "overdue_requests"
    }

    /// Sites under which the sync client records what a server held (`server:URL`).
    public static let serverSitePrefix = "server:"
}

extension WorkspaceStatus {
    /// The workspace as `status` shows it. `library` holds the engagement's catalogs (mapping
    /// libraries may be left out: nothing here infers); `today` (UTC, YYYY-MM-DD) dates overdue actions.
    public init(_ workspace: Workspace, library: CatalogLibrary, today: String) throws {
        let (summary, engagement) = (try workspace.summary(), try workspace.engagement())
        let (peers, exported, mine) = (try workspace.exchange.peers(), try workspace.exchange.exportedVector(), try workspace.versionVector())
        let configuration = try RemoteConfiguration.load(from: workspace)
        let site = workspace.identity.site
        let overdue = try workspace.all(Finding.self).filter { $0.isOverdue(today: today) }
        let unexported = Int(mine.highest(for: site)) - Int(min(exported.entries[site]?.contiguous ?? 0, mine.highest(for: site)))
        // Results count where their requirement is still assessable in the catalog: one a newer
        // library version dropped is kept, but is no longer progress on that framework.
        var assessed: [FrameworkID: Int] = [:]
        for result in try workspace.all(AssessmentResult.self) where result.status?.isAssessed == true {
            if let requirement = result.requirement, library.index[requirement]?.assessable == true { assessed[requirement.framework, default: 0] += 1 }
        }
        let frameworks = library.frameworks.map { catalog in
            Self.Progress(framework: catalog.framework.rawValue, assessed: assessed[catalog.framework] ?? 0,
                                    requirements: catalog.assessable.count)
        }
        let remotes = configuration.remotes.keys.sorted().map { name in
            let remote = configuration.remotes[name]!
            let server = peers.first { $0.site == Self.serverSitePrefix + remote.url }
            return Self.Remote(name: name, url: remote.url, lastSync: remote.lastSync, serverLacks: server?.theyLack)
        }
        let pinned = try workspace.libraries.verify()
        self.init(
            workspace: workspace.location.root.path, engagement: .init(id: workspace.identity.engagement.rawValue, name: engagement?.name),
            assessor: workspace.identity.assessor, site: site.text,
            publicKey: workspace.signer.publicKey.base64EncodedString(),
            changes: summary.changes, ownChanges: summary.ownChanges, unsyncedChanges: max(0, unexported),
            sitesSeen: summary.sites, conflicts: summary.conflicts, progress: frameworks,
            risks: summary.entities["risk"] ?? 0, evidence: summary.entities["evidence"] ?? 0, findings: summary.entities["finding"] ?? 0,
            peers: peers.map {
                Self.Peer(site: $0.site, assessor: $0.assessor, changesFromThem: $0.changesFromThem, theyLack: $0.theyLack,
                                    lastSeen: $0.lastSeen.map { Timestamps.rfc3339(milliseconds: $0) })
            },
            overdueCorrectiveActions: overdue.map { .init(finding: $0.id.rawValue, title: $0.title ?? "", due: $0.due ?? "") },
            // RFC 3339 UTC stamps of one format sort as text.
            remotes: remotes, lastSync: remotes.compactMap(\.lastSync).max())
        if !pinned.isEmpty {
            libraries = .init(pinned: pinned.count, missing: pinned.filter { $0.condition != .intact }.map(\.library.urn))
        }
        let anomalies = try workspace.domain.anomalies()
        if !anomalies.isEmpty { self.anomalies = anomalies.map { .init(entity: $0.entity.rawValue, problem: $0.problem) } }
        let overdueRequests = try workspace.all(EvidenceRequest.self).filter { $0.isOverdue(today: today) }
        if !overdueRequests.isEmpty {
            self.overdueRequests = overdueRequests.sorted { ($0.due ?? "", $0.id) < ($1.due ?? "", $1.id) }.map {
                .init(request: $0.id.rawValue, title: $0.title ?? "", due: $0.due ?? "", contact: $0.contact, status: $0.status.rawValue)
            }
        }
        let contradictions = try workspace.domain.treatmentContradictions()
        if !contradictions.isEmpty {
            self.contradictions = contradictions.map { .init(control: $0.control.qualified, risks: $0.risks.map(\.rawValue), problem: $0.problem) }
        }
    }
}

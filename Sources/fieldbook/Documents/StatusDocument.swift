/// What `fieldbook status --json` prints: the fields of the contract (site id, engagement,
/// unsynced change count, open conflicts, remotes, last sync) and the assessment's progress.
struct StatusDocument: Encodable {
    struct Engagement: Encodable { let id: String; let name: String? }
    struct Progress: Encodable { let framework: String; let assessed: Int; let requirements: Int }
    struct Peer: Encodable {
        let site: String
        let assessor: String
        let changesFromThem: Int
        let theyLack: Int?
        let lastSeen: String?

        enum CodingKeys: String, CodingKey {
            case site, assessor
            case changesFromThem = "changes_from_them"
            case theyLack = "they_lack"
            case lastSeen = "last_seen"
        }
    }
    struct Overdue: Encodable { let finding: String; let title: String; let due: String }
    /// A server this workspace syncs with; `serverLacks` counts the changes held here that the
    /// server did not hold at the last sync (nil: never synced).
    struct Remote: Encodable {
        let name: String
        let url: String
        let lastSync: String?
        let serverLacks: Int?

        enum CodingKeys: String, CodingKey {
            case name, url
            case lastSync = "last_sync"
            case serverLacks = "server_lacks"
        }
    }

    let workspace: String
    let engagement: Engagement
    let assessor: String
    let site: String
    /// This workspace's Ed25519 public key: what an administrator binds to the assessor.
    let publicKey: String
    let changes: Int
    let ownChanges: Int
    let unsyncedChanges: Int
    let sitesSeen: Int
    let conflicts: Int
    let progress: [Progress]
    let risks: Int
    let evidence: Int
    let findings: Int
    let peers: [Peer]
    let overdueCorrectiveActions: [Overdue]
    let remotes: [Remote]
    /// The latest successful sync with any remote.
    let lastSync: String?
    /// Pinned framework and mapping libraries; nil when the engagement pins none.
    var libraries: Libraries? = nil
    /// State that breaks a rule local writes obey, received from a peer (`Workspace.anomalies`);
    /// nil when there is none.
    var anomalies: [Anomaly]? = nil

    struct Anomaly: Encodable { let entity: String; let problem: String }

    /// How many libraries the engagement pins, and which of them have no intact bytes here.
    struct Libraries: Encodable {
        let pinned: Int
        let missing: [String]
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
        case libraries, anomalies
    }
}

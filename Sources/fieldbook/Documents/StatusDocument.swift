/// What `fieldbook status --json` prints: the fields of the contract (site id, engagement,
/// unsynced change count, open conflicts, remotes, last sync) and the assessment's progress.
struct StatusDocument: Encodable {
    struct Engagement: Encodable { let id: String; let name: String? }
    struct Progress: Encodable { let framework: String; let assessed: Int; let requirements: Int }
    struct Peer: Encodable { let site: String; let assessor: String; let changes_from_them: Int; let they_lack: Int?; let last_seen: String? }
    struct Overdue: Encodable { let finding: String; let title: String; let due: String }
    /// A server this workspace syncs with; `server_lacks` counts the changes held here that the
    /// server did not hold at the last sync (nil: never synced).
    struct Remote: Encodable { let name: String; let url: String; let last_sync: String?; let server_lacks: Int? }

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
    let peers: [Peer]
    let overdue_corrective_actions: [Overdue]
    let remotes: [Remote]
    /// The latest successful sync with any remote.
    let last_sync: String?
}

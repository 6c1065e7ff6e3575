import FieldbookModel
import FieldbookReplica

/// Who this replica is: the engagement it belongs to, its own site id and its assessor.
/// Every change it writes carries the site id and the assessor's name.
public struct WorkspaceIdentity: Sendable, Equatable {
    public let engagement: EntityID
    public let site: SiteID
    public let assessor: String
}

import FieldbookModel

/// The engagement's domain over one workspace (`workspace.domain`): the operations every front
/// end calls (the CLI today, the workbench next) and the rules they obey, each stated once.
///
/// - Rules on what is written (`Rules/LocalEditRules`) guard the store's one write door
///   (`Workspace.write`), so no front end, and no operation here, can write what another refuses.
/// - Rules on what is held (`Rules/DomainRule`) find state only a peer can have brought
///   (`anomalies()`): it is kept, since nothing anyone typed is lost, and shown.
/// - Operations: finding the entity a user named (`EntityTargets`), typed edits checked
///   against the schema (`EntityEdits`), settling conflicts (`ConflictResolution`), attaching
///   evidence (`EvidenceAttachment`).
public struct WorkspaceDomain: Sendable {
    let workspace: Workspace
}

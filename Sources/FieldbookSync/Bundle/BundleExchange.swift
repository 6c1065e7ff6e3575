import FieldbookModel
import FieldbookReplica
import FieldbookStore
import Foundation

/// Exports and imports bundles for one workspace: the sneakernet side of sync.
public struct BundleExchange {
    public let workspace: Workspace
    /// This user's identity: opens sealed bundles, and is a recipient of every bundle it seals.
    /// Nil reads and writes unsealed bundles only.
    public let identity: IdentityFile?

    public init(workspace: Workspace, identity: IdentityFile? = nil) {
        self.workspace = workspace
        self.identity = identity
    }

    /// What `export` wrote: the `bundle export --json` document (snake_case keys).
    public struct ExportSummary: Sendable, Codable, Equatable {
        public let file: String
        public let changes: Int
        public let evidenceFiles: Int
        /// SHA-256s of evidence files the changes name but this workspace does not hold: left out.
        public let missingEvidence: [String]
        /// Pinned libraries' bytes carried, and those the changes name but this workspace lacks.
        public let libraryFiles: Int
        public let missingLibraries: [String]
        /// The bundle file's size.
        public let bytes: Int64
        /// The recipient strings it is sealed for (the sender's own included); empty when unsealed.
        public let sealedFor: [String]

        enum CodingKeys: String, CodingKey {
            case file, changes
            case sealedFor = "sealed_for"
            case evidenceFiles = "evidence_files"
            case missingEvidence = "missing_evidence"
            case libraryFiles = "library_files"
            case missingLibraries = "missing_libraries"
            case bytes
        }
    }

    /// Writes every change a holder of `base` lacks (everything when `base` is empty), with
    /// the evidence files those changes reference. With recipients, the bundle is sealed for
    /// them and for this user's identity (made on first use), so the sender can read it back.
    public func export(to file: URL, since base: VersionVector = VersionVector(), sealedFor recipients: [Recipient] = []) throws -> ExportSummary {
        var sealedFor: [Recipient] = []
        if !recipients.isEmpty {
            let own = try identity?.loadOrCreate().recipient
            for recipient in recipients + [own].compactMap({ $0 }) where !sealedFor.contains(recipient) { sealedFor.append(recipient) }
        }
        let changes = try workspace.exchange.changes(missingFrom: base)
        let vector = try workspace.versionVector()
        // Evidence files and pinned libraries' bytes alike (`EntityKind.objectField`).
        let references = WorkspaceExchange.objectReferences(in: changes)
        let referenced = references.keys.sorted()
        let present = referenced.filter { workspace.objects.contains($0) }
        let missing = referenced.filter { !present.contains($0) }
        let engagement = try workspace.engagement()
        let header = BundleHeader(
            format: BundleFormat.version(for: changes), engagement: workspace.identity.engagement.rawValue,
            engagementName: engagement?.name,
            sender: .init(site: workspace.identity.site.text, assessor: workspace.identity.assessor),
            vector: vector, base: base, changeCount: changes.count, objectCount: present.count)
        try BundleWriter().write(to: file, header: header, changes: changes,
                                 objects: present.map { ($0, workspace.objects.path(for: $0)) }, sealedFor: sealedFor)
        try workspace.exchange.recordExport(vector)
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.int64Value ?? 0
        return ExportSummary(file: file.path, changes: changes.count, evidenceFiles: present.filter { references[$0] != .library }.count,
                             missingEvidence: missing.filter { references[$0] != .library },
                             libraryFiles: present.filter { references[$0] == .library }.count,
                             missingLibraries: missing.filter { references[$0] == .library }, bytes: size,
                             sealedFor: sealedFor.map(\.description))
    }

    /// What `importBundle` brought in: the `bundle import --json` document (snake_case keys).
    public struct ImportSummary: Sendable, Encodable, Equatable {
        public let engagement: String
        /// The sending assessor's name; `senderSite` is their site id.
        public let sender: String
        public let senderSite: String
        public let changesInBundle: Int
        /// Changes this workspace lacked; `alreadyPresent` counts the rest.
        public let newChanges: Int
        public let alreadyPresent: Int
        public let entitiesChanged: Int
        public let newEvidenceFiles: Int
        /// Pinned libraries' bytes this workspace lacked (counted apart from evidence files).
        public let newLibraryFiles: Int
        /// How many more open conflicts the workspace has than before the import.
        public let newConflicts: Int
        /// Importing the same bundle again brings nothing: said so, not treated as an error.
        public let nothingNew: Bool

        enum CodingKeys: String, CodingKey {
            case engagement, sender
            case senderSite = "sender_site"
            case changesInBundle = "changes_in_bundle"
            case newChanges = "new_changes"
            case alreadyPresent = "already_present"
            case entitiesChanged = "entities_changed"
            case newEvidenceFiles = "new_evidence_files"
            case newLibraryFiles = "new_library_files"
            case newConflicts = "new_conflicts"
            case nothingNew = "nothing_new"
        }
    }

    /// Imports a bundle all or nothing: verified whole before anything is applied; on any
    /// failure the workspace is as it was.
    public func importBundle(_ file: URL, now: UInt64 = WallClock.now()) throws -> ImportSummary {
        let contents = try BundleReader(scratch: workspace.location.scratch, identity: identity).read(file)
        var adopted: [String] = []
        do {
            guard contents.header.engagement == workspace.identity.engagement.rawValue else {
                throw BundleError.otherEngagement(bundle: contents.header.engagement, workspace: workspace.identity.engagement.rawValue)
            }
            // Every evidence file and library a change names must either come with the bundle or be here.
            adopted = try workspace.exchange.adoptObjects(contents.objects)
            let references = WorkspaceExchange.objectReferences(in: contents.changes)
            let newLibraries = adopted.filter { references[$0] == .library }.count
            let report = try workspace.apply(remote: contents.changes, hashes: contents.hashes, now: now)
            if contents.header.sender.site != workspace.identity.site.text {
                try workspace.exchange.recordPeer(site: contents.header.sender.site, assessor: contents.header.sender.assessor,
                                         vector: contents.header.vector, at: now)
            }
            return ImportSummary(
                engagement: contents.header.engagement, sender: contents.header.sender.assessor, senderSite: contents.header.sender.site,
                changesInBundle: contents.changes.count, newChanges: report.applied, alreadyPresent: report.duplicates,
                entitiesChanged: report.entities, newEvidenceFiles: adopted.count - newLibraries, newLibraryFiles: newLibraries,
                newConflicts: report.newConflicts,
                nothingNew: report.applied == 0 && adopted.isEmpty)
        } catch {
            workspace.exchange.removeObjects(adopted)
            for url in contents.objects.values { try? FileManager.default.removeItem(at: url) }
            throw error
        }
    }
}

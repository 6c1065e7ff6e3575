import FieldbookModel
import FieldbookReplica
import Foundation

extension WorkspaceDomain {
    /// Attaches a file as evidence: its bytes copied into the object store by SHA-256, then one
    /// write of the evidence entity with its links. The rules (`LocalEditRules`: a filename that
    /// says something, at least one requirement the catalogs define) are checked before a byte
    /// is copied, so a refused attachment leaves the store as it was.
    /// `filename` is the name the evidence is recorded under (an upload's name, when its bytes
    /// sit in a scratch file); the file's own name by default.
    public func attachEvidence(contentsOf file: URL, filename: String? = nil, description: String?, requirements: [String], systems: [String],
                               now: UInt64 = WallClock.now()) throws -> (id: EntityID, stored: ObjectStore.StoredObject) {
        let id = EntityID(UUIDv7.make())!
        var edits = EntityEdits<EvidenceField>(id)
        try edits.set(.filename, filename ?? file.lastPathComponent)
        try edits.set(.description, description)
        edits.link(.requirements, requirements)
        edits.link(.systems, systems)
        try LocalEditRules.check(edits.edits, in: workspace)
        let stored = try workspace.objects.add(contentsOf: file)
        try edits.set(.sha256, stored.sha256)
        try edits.set(.size, FieldValue.integer(stored.size))
        try workspace.write(edits.edits, now: now)
        return (id, stored)
    }
}

import FieldbookModel
import FieldbookReplica
import Foundation

/// The date an evidence file speaks for, apart from when it is recorded (issue 30): a day it
/// is as of, or a period it covers.
public struct EvidenceDating: Sendable, Equatable {
    public var asOf: String?
    public var periodFrom: String?
    public var periodTo: String?

    public init(asOf: String? = nil, periodFrom: String? = nil, periodTo: String? = nil) {
        self.asOf = asOf
        self.periodFrom = periodFrom
        self.periodTo = periodTo
    }

    /// Reads `FROM..TO` (`2026-01-01..2026-03-31`); the dates themselves are checked by the schema.
    public static func period(_ text: String) throws(StoreError) -> (from: String, to: String) {
        let ends = text.components(separatedBy: "..")
        guard ends.count == 2, !ends[0].isEmpty, !ends[1].isEmpty else {
            throw .invalid("A period is written FROM..TO, like 2026-01-01..2026-03-31, not '\(text.prefix(40))'.")
        }
        return (ends[0], ends[1])
    }

    func apply(to edits: inout EntityEdits<EvidenceField>) throws(StoreError) {
        try edits.set(.asOf, asOf)
        try edits.set(.periodFrom, periodFrom)
        try edits.set(.periodTo, periodTo)
    }
}

extension WorkspaceDomain {
    /// Attaches a file as evidence: its bytes copied into the object store by SHA-256, then one
    /// write of the evidence entity with its links (and `alongside`, edits that name it by `id`:
    /// a sampled item looked at through it). The rules (`LocalEditRules`: a filename that
    /// says something, at least one requirement the catalogs define, a whole period) are checked
    /// before a byte is copied, so a refused attachment leaves the store as it was.
    /// `filename` is the name the evidence is recorded under (an upload's name, when its bytes
    /// sit in a scratch file); the file's own name by default. `fulfils` names a request it
    /// answers (`requestToAnswer`): the request is linked and marked received in the same
    /// write, and the evidence supports the request's requirements when none are given.
    public func attachEvidence(contentsOf file: URL, filename: String? = nil, description: String?, requirements: [String], systems: [String],
                               dating: EvidenceDating = EvidenceDating(), fulfils: String? = nil,
                               id: EntityID = EntityID(UUIDv7.make())!, alongside: [LocalEdit] = [],
                               now: UInt64 = WallClock.now()) throws -> (id: EntityID, stored: ObjectStore.StoredObject) {
        let request = try fulfils.map(requestToAnswer)
        var edits = EntityEdits<EvidenceField>(id)
        try edits.set(.filename, filename ?? file.lastPathComponent)
        try edits.set(.description, description)
        try dating.apply(to: &edits)
        edits.link(.requirements, requirements.isEmpty ? request?.requirements ?? [] : requirements)
        edits.link(.systems, systems)
        var answered = request.map { EntityEdits<RequestField>($0.id, current: $0.record) }
        try answered?.answer(with: [id])
        try LocalEditRules.check(edits.edits + (answered?.edits ?? []) + alongside, in: workspace)
        let stored = try workspace.objects.add(contentsOf: file)
        try edits.set(.sha256, stored.sha256)
        try edits.set(.size, FieldValue.integer(stored.size))
        try workspace.write(edits.edits + (answered?.edits ?? []) + alongside, now: now)
        return (id, stored)
    }
}

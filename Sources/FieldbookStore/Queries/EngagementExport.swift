import FieldbookModel
import FieldbookReplica
import Foundation

/// The whole current state of an engagement as one canonical document: every array sorted,
/// nothing about the export itself (no export time, no local paths, no site of the
/// exporter), so replicas that hold the same changes print byte-identical JSON.
public struct EngagementExport: Encodable, Sendable {
    public let format = 1
    public let engagement: Engagement
    public let results: [Entity]
    public let risks: [Entity]
    public let evidence: [Entity]
    public let findings: [Entity]
    /// The AI management system: the AI systems in scope, their impact assessments and the
    /// Statement of Applicability (one entry per Annex A control decided).
    public let systems: [Entity]
    public let impacts: [Entity]
    public let applicability: [Entity]
    /// The framework and mapping libraries the engagement pins (issue 19); absent when there
    /// are none, so an engagement without libraries exports as it did before them.
    public let libraries: [Entity]?
    /// Evidence requests to the client (issue 30); absent when there are none, so an
    /// engagement without them exports as it did before them.
    public let requests: [Entity]?
    /// Interviews, sampled tests and the items they drew (issue 30); each absent when there are
    /// none, as requests are.
    public let interviews: [Entity]?
    public let tests: [Entity]?
    public let samples: [Entity]?
    /// Revoked keys (issue 31): per revoked site, its last valid change; absent when there are none.
    public let revocations: [Entity]?
    public let conflicts: [ConflictEntry]
    public let changes: Int

    /// The engagement the export describes.
    public struct Engagement: Encodable, Sendable {
        public let id: String
        public let name: String?
        public let scope: String?
        /// How old evidence may be before it is stale; absent while none is set.
        public let staleAfter: String?

        enum CodingKeys: String, CodingKey {
            case id, name, scope
            case staleAfter = "stale_after"
        }
    }

    /// One entity's shown state: fields, links, deletion and conflicts.
    public struct Entity: Encodable, Sendable {
        public let id: String
        public let fields: [String: FieldValueDocument]
        public let links: [String: [String]]
        public let deleted: Bool
        public let conflictedFields: [String]
        public let created: String
        public let updated: String
        public let updatedBy: String

        enum CodingKeys: String, CodingKey {
            case id, fields, links, deleted
            case conflictedFields = "conflicted_fields"
            case created, updated
            case updatedBy = "updated_by"
        }
    }

    /// A field with more than one live value, and each value.
    public struct ConflictEntry: Encodable, Sendable {
        public let entity: String
        public let kind: String
        public let field: String
        public let values: [ConflictValue]
    }

    /// One competing value, with who wrote it and when.
    public struct ConflictValue: Encodable, Sendable {
        public let value: FieldValueDocument
        public let author: String
        public let at: String
        public let change: String
    }
}

/// A field value as it appears in JSON documents: the plain string, number or boolean.
public enum FieldValueDocument: Encodable, Sendable, Equatable {
    case string(String), integer(Int64), boolean(Bool)

    public init(_ value: FieldValue) {
        switch value {
        case .text(let s), .enumCase(let s), .date(let s), .link(let s): self = .string(s)
        case .integer(let n): self = .integer(n)
        case .boolean(let b): self = .boolean(b)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let s): try container.encode(s)
        case .integer(let n): try container.encode(n)
        case .boolean(let b): try container.encode(b)
        }
    }
}

extension Array {
    fileprivate var nilIfEmpty: Self? { isEmpty ? nil : self }
}

/// RFC 3339 UTC text of an HLC timestamp's wall clock.
extension Timestamps {
    /// An HLC stamp's wall-clock part.
    public static func rfc3339(_ hlc: HLCTimestamp) -> String {
        rfc3339(milliseconds: hlc.wallMilliseconds)
    }
}

extension Workspace {
    public func export() throws -> EngagementExport {
        func entities(_ kind: EntityKind) throws -> [EngagementExport.Entity] {
            try records(kind, includeDeleted: true).sorted { $0.id < $1.id }.map { record in
                EngagementExport.Entity(
                    id: record.id.rawValue, fields: record.fields.mapValues(FieldValueDocument.init), links: record.links,
                    deleted: record.deleted, conflictedFields: record.conflictedFields,
                    created: Timestamps.rfc3339(record.created), updated: Timestamps.rfc3339(record.updated),
                    updatedBy: record.updatedBy)
            }
        }
        let engagement = try self.engagement()
        let conflicts = try conflicts().map { conflict in
            EngagementExport.ConflictEntry(
                entity: conflict.entity.rawValue, kind: conflict.kind.rawValue, field: conflict.field,
                values: conflict.values.map {
                    EngagementExport.ConflictValue(value: FieldValueDocument($0.value), author: $0.author,
                                                   at: Timestamps.rfc3339($0.hlc), change: $0.dot.description)
                })
        }
        return EngagementExport(
            engagement: .init(id: identity.engagement.rawValue, name: engagement?.name, scope: engagement?.scope,
                              staleAfter: engagement?.staleAfter?.description),
            results: try entities(.result), risks: try entities(.risk), evidence: try entities(.evidence),
            findings: try entities(.finding), systems: try entities(.system), impacts: try entities(.impact),
            applicability: try entities(.applicability), libraries: try entities(.library).nilIfEmpty,
            requests: try entities(.request).nilIfEmpty, interviews: try entities(.interview).nilIfEmpty,
            tests: try entities(.test).nilIfEmpty, samples: try entities(.sample).nilIfEmpty, revocations: try entities(.revocation).nilIfEmpty,
            conflicts: conflicts, changes: try summary().changes)
    }
}

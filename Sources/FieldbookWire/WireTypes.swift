import FieldbookModel
import FieldbookReplica
import Foundation

/// The `/v1` wire format shared by the server and the sync client: one definition, so the
/// two sides cannot drift. Change batches travel in the binary `ChangeBatch` format, the
/// same encoding bundles use; small control documents travel as JSON. See docs/api.md.
public enum Wire {
    /// The path prefix and version every route carries.
    public static let version = "v1"
    public static let changesMediaType = "application/vnd.fieldbook.changes"
    public static let pullMediaType = "application/vnd.fieldbook.pull-page"
    /// Largest change batch a push may carry (and a pull page returns).
    public static let maximumBatchChanges = 5_000
    /// The largest push or pull body, in bytes.
    public static let maximumBatchBytes = 16 << 20
    /// The largest evidence file a server accepts.
    public static let maximumBlobBytes: Int64 = 1 << 30

    /// The header in which client and server state the protocol they speak
    /// (`ProtocolVersion`), on every request and every answer; a side that sends none speaks
    /// protocol 1 (Fieldbook 0.1, before the header).
    public static let protocolHeader = "Fieldbook-Protocol"

    /// The header in which the server states, on its answers to an engagement's routes, the
    /// engagement's key (base64 of its Ed25519 public key): the one key whose revocations a
    /// workspace accepts, pinned at its first sync or clone.
    public static let engagementKeyHeader = "Fieldbook-Engagement-Key"

    /// The protocol a header's value states; absent or unreadable, protocol 1.
    public static func statedProtocol(_ value: String?) -> ProtocolVersion {
        guard let value, let number = Int(value.trimmingCharacters(in: .whitespaces)), number >= 1 else { return .v1 }
        return ProtocolVersion(stated: number)
    }

    /// The encoder of every JSON control document: sorted keys, slashes unescaped.
    public static var jsonEncoder: JSONEncoder { JSONDocument.encoder(.compact) }
}

/// `GET /v1/health`: `{"status": "ok", "version": "v1"}`.
/// `GET /readyz`: whether the database and the object store answer; `status` is `ready`
/// (HTTP 200) or `unavailable` (HTTP 503), and each part says `ok` or why not.
public struct ReadinessResponse: Codable, Sendable, Equatable {
    public let status: String
    public let database: String
    public let objects: String
    public init(status: String, database: String, objects: String) {
        self.status = status
        self.database = database
        self.objects = objects
    }
}

public struct HealthResponse: Codable, Sendable, Equatable {
    public let status: String
    public let version: String
    public init(status: String, version: String) {
        self.status = status
        self.version = version
    }
}

/// What a token may do on its engagement (`fieldbook-server token create --role`).
public enum TokenRole: String, Codable, Sendable, CaseIterable {
    /// Reads, pushes its assessor's changes and uploads evidence: the default.
    case assessor
    /// Reads everything (engagement, vector, pull, evidence) and writes nothing: a quality
    /// reviewer, a client contact, an auditor.
    case reviewer
    /// An assessor's rights on `/v1`; nothing more today (docs/deploy.md, "Roles").
    case admin

    /// Whether the token may push changes and upload evidence.
    public var mayWrite: Bool { self != .reviewer }
}

/// An engagement as the server knows it (`GET /v1/engagements/{id}`), with the role of the
/// token that asked (absent in admin listings and from servers older than roles).
public struct EngagementInfo: Codable, Sendable, Equatable {
    public let id: String
    public let name: String
    public let role: TokenRole?

    public init(id: String, name: String, role: TokenRole? = nil) {
        self.id = id
        self.name = name
        self.role = role
    }

    enum CodingKeys: String, CodingKey { case id, name, role }

    /// A role this build does not know (a newer server's) reads as none, not as a broken answer.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        role = (try? container.decodeIfPresent(String.self, forKey: .role)).flatMap { $0.flatMap(TokenRole.init) }
    }
}

/// Asks for the changes the client lacks: everything the server holds that `vector` does
/// not, from server position `after` on.
public struct PullRequest: Codable, Sendable, Equatable {
    public let vector: VersionVector
    /// The server position to continue from (`next` of the previous page; 0 at first).
    public let after: Int64
    /// Changes wanted at most (a page's first segment always comes whole).
    public let limit: Int

    public init(vector: VersionVector, after: Int64 = 0, limit: Int = Wire.maximumBatchChanges) {
        self.vector = vector
        self.after = after
        self.limit = limit
    }
}

/// One page of a pull: the change batches the server stored as they were pushed (segments),
/// served without decoding or re-encoding them. `next` is the position to continue from; on
/// the last page it is nil and `vector` holds everything the server had when the page was cut.
public struct PullPage: Sendable, Equatable {
    /// The page's JSON head.
    public struct Meta: Codable, Sendable, Equatable {
        /// Where the next page starts; nil on the last page, which also carries `vector`.
        public let next: Int64?
        public let vector: VersionVector?
        /// Changes in the page, all segments together.
        public let count: Int
        /// Each segment's length in bytes, in order.
        public let segments: [Int]
    }

    public let meta: Meta
    /// Each segment: one encoded change batch (`ChangeBatch`, any format a client reads).
    public let segments: [Data]

    public init(segments: [Data], count: Int, next: Int64?, vector: VersionVector?) {
        meta = Meta(next: next, vector: vector, count: count, segments: segments.map(\.count))
        self.segments = segments
    }

    /// A page of one segment holding `changes`.
    public init(changes: [Change], next: Int64?, vector: VersionVector?) {
        self.init(segments: changes.isEmpty ? [] : [ChangeBatch(changes).encoded()], count: changes.count, next: next, vector: vector)
    }

    /// `u32 big-endian length | meta JSON | the segments, back to back`.
    public func encoded() -> Data {
        let meta = (try? Wire.jsonEncoder.encode(self.meta)) ?? Data("{}".utf8)
        var data = Data(withUnsafeBytes(of: UInt32(meta.count).bigEndian, Array.init))
        data.reserveCapacity(4 + meta.count + segments.reduce(0) { $0 + $1.count })
        data.append(meta)
        for segment in segments { data.append(segment) }
        return data
    }

    /// The page's changes, all segments decoded, with their hashes where the decoder computed them.
    public var changes: [Change] {
        (try? Self.decodeSegments(segments, announced: meta.count).changes) ?? []
    }

    /// Reads an encoded page, checking the segments against `meta`.
    public static func decode(_ data: Data) throws -> PullPage {
        try read(data).page
    }

    /// Decodes a page and every change in it (checked against the announced count), with each
    /// change's hash.
    public static func read(_ data: Data) throws -> (page: PullPage, changes: [Change], hashes: [Data]) {
        guard data.count >= 4 else { throw ReplicaError.malformed("the pull page is shorter than its header") }
        let length = Int(data.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        guard data.count >= 4 + length else { throw ReplicaError.malformed("the pull page ends early") }
        let meta: Meta
        do {
            meta = try JSONDecoder().decode(Meta.self, from: data.subdata(in: data.startIndex + 4 ..< data.startIndex + 4 + length))
        } catch {
            throw ReplicaError.malformed("the pull page's meta is not readable JSON (next, vector, count, segments)")
        }
        var offset = data.startIndex + 4 + length
        var segments: [Data] = []
        for size in meta.segments {
            guard size > 0, data.endIndex - offset >= size else { throw ReplicaError.malformed("the pull page's segments do not match their announced lengths") }
            segments.append(data.subdata(in: offset ..< offset + size))
            offset += size
        }
        guard offset == data.endIndex else { throw ReplicaError.malformed("the pull page holds bytes after its last segment") }
        let page = PullPage(segments: segments, count: meta.count, next: meta.next, vector: meta.vector)
        let (changes, hashes) = try decodeSegments(segments, announced: meta.count)
        return (page, changes, hashes)
    }

    /// Every segment decoded: the changes in order and, for each, its hash.
    public func decodedChanges() throws -> (changes: [Change], hashes: [Data]) {
        try Self.decodeSegments(segments, announced: meta.count)
    }

    static func decodeSegments(_ segments: [Data], announced: Int) throws -> (changes: [Change], hashes: [Data]) {
        var changes: [Change] = [], hashes: [Data] = []
        for segment in segments {
            let batch = try ChangeBatch.decode(segment)
            changes += batch.changes
            hashes += batch.hashes ?? batch.changes.map(ChangeHash.of)
        }
        guard changes.count == announced else { throw ReplicaError.malformed("the pull page announces \(announced) changes and holds \(changes.count)") }
        return (changes, hashes)
    }
}

/// `POST .../changes`: how many changes the batch had, how many were new, how many held already.
public struct PushResponse: Codable, Sendable, Equatable {
    public let received: Int
    public let applied: Int
    public let duplicates: Int

    public init(received: Int, applied: Int, duplicates: Int) {
        self.received = received
        self.applied = applied
        self.duplicates = duplicates
    }
}

/// Every error answer: `{"error": {"code": "...", "message": "...", "request_id": "..."}}`, no
/// stack traces. Clients branch on `code` (`WireErrorCode`) and show `message`; they never match
/// the sentence's words.
public struct ErrorResponse: Codable, Sendable, Equatable {
    public struct Detail: Codable, Sendable, Equatable {
        /// A `WireErrorCode` raw value; text, so a code a newer server adds still decodes (and
        /// is nil from a server older than codes).
        public let code: String?
        /// The error's one sentence, for a person.
        public let message: String
        /// The id the server logged the request under (also its `X-Request-Id` header), for the
        /// client to print so an operator finds the log line; nil from a server older than ids.
        /// Optional and added last: older clients ignore it.
        public let requestID: String?

        enum CodingKeys: String, CodingKey {
            case code, message
            case requestID = "request_id"
        }

        public init(code: WireErrorCode, message: String, requestID: String? = nil) {
            self.code = code.rawValue
            self.message = message
            self.requestID = requestID
        }

        /// The code, when this client knows it.
        public var wireCode: WireErrorCode? { code.flatMap(WireErrorCode.init(rawValue:)) }
    }
    public let error: Detail

    public init(_ code: WireErrorCode, _ message: String, requestID: String? = nil) {
        error = Detail(code: code, message: message, requestID: requestID)
    }
}

/// What an error answer means, for machines. Stable: a code is never renamed or reused.
public enum WireErrorCode: String, Codable, Sendable, CaseIterable {
    /// 401: no bearer token, or one this server does not know.
    case tokenMissing = "token_missing"
    case tokenUnknown = "token_unknown"
    case tokenRevoked = "token_revoked"
    case tokenExpired = "token_expired"
    /// 429: too many bad tokens from one client; `Retry-After` says for how long.
    case tooManyAttempts = "too_many_attempts"
    /// 403: the token is for another engagement.
    case otherEngagement = "other_engagement"
    /// 403: a reviewer's token, which reads but never writes.
    case readOnlyToken = "read_only_token"
    /// 403: a change from a key not bound to its author (the author must sync once, or be bound).
    case keyNotBound = "key_not_bound"
    /// 403: a change signed by a key bound to someone else.
    case keyOfAnother = "key_of_another"
    /// 403: a change of a site whose key the engagement's administrator revoked, beyond the
    /// last change the revocation keeps valid (`fieldbook-server key revoke`).
    case keyRevoked = "key_revoked"
    /// 404.
    case unknownEngagement = "unknown_engagement"
    case noRoute = "no_route"
    case noBlob = "no_blob"
    /// 409.
    case engagementExists = "engagement_exists"
    case keyBound = "key_bound"
    /// 422: changes stamped too far ahead of the server's clock (kept by the client, retried later).
    case changesAhead = "changes_ahead"
    /// 422: changes the server refuses (bad signature, broken chain, invalid value).
    case invalidChanges = "invalid_changes"
    /// 422: an uploaded file whose bytes do not match its hash.
    case hashMismatch = "hash_mismatch"
    /// 400 and 413.
    case badRequest = "bad_request"
    case tooLarge = "too_large"
    /// 426: the answer holds changes the client's protocol cannot read; the message names the
    /// release to install (the client's own changes were taken before, if it pushed).
    case upgradeRequired = "upgrade_required"
    /// 5xx: the server's fault, not the request's.
    case newerServerSchema = "newer_server_schema"
    case storageUnavailable = "storage_unavailable"
    case serverFailure = "server_failure"
}

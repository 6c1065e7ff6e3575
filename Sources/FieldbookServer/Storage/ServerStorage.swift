import FieldbookModel
import FieldbookReplica
import FieldbookWire
import Foundation

/// What the central endpoint keeps: engagements, tokens (hashed), and each engagement's
/// change log. One protocol, one implementation per backend, the same tests for each.
public protocol ServerStorage: Sendable {
    /// Creates an engagement; `ServerError.engagementExists` when the id is taken.
    func createEngagement(id: String, name: String, now: UInt64) async throws -> EngagementInfo
    func engagement(_ id: String) async throws -> EngagementInfo?
    func engagements() async throws -> [EngagementInfo]

    /// Issues a token; only its hash is stored, the secret is returned once. With a public
    /// key, the key's site is bound to the assessor at once (see `push`). `expires`: when it
    /// stops being accepted (milliseconds since 1970), nil for never.
    func createToken(assessor: String, engagement: String, publicKey: Data?, role: TokenRole, expires: UInt64?,
                     now: UInt64) async throws -> IssuedToken
    /// Marks the token revoked; false when no unrevoked token has that id.
    func revokeToken(id: String, now: UInt64) async throws -> Bool
    func tokens() async throws -> [TokenRecord]
    /// The token whose secret hashes to `hash`, revoked or not (the caller checks).
    func token(hash: String) async throws -> TokenRecord?

    /// Applies a batch whole or not at all; resending it changes nothing. Every change must be
    /// covered by its site's signed history (`ChangeIntake`), and each site is bound to one
    /// assessor: on first use, to the assessor whose token pushes its changes (`pusher`),
    /// unless bound at token creation. The body's bytes are kept as received and served to
    /// pullers as they are.
    func push(_ batch: ReceivedBatch, engagement: String, pusher: String, now: UInt64, maximumSkewMilliseconds: UInt64) async throws -> PushResponse
    /// The next page of segments holding changes the client's vector lacks, after `request.after`.
    func pull(engagement: String, request: PullRequest) async throws -> PullPage
    /// Every dot the engagement's log holds.
    func vector(engagement: String) async throws -> VersionVector
    /// The public key of the engagement's key, which signs its revocations (made on first need).
    func engagementKey(_ engagement: String) async throws -> Data
    /// Revokes a site's key on the engagement after its change `lastValid` (nil: the last one
    /// accepted): writes the revocation signed by the engagement's key into the log, refuses
    /// the site's later changes from now on, and revokes its assessor's tokens on the engagement.
    func revokeKey(engagement: String, site: SiteID, lastValid: UInt64?, reason: String?, now: UInt64) async throws -> RevocationRecord

    /// One round trip to the database, for `/readyz`: throws when it cannot be reached.
    func ping() async throws

    /// How many database connections the storage holds at most at once (`MeteredStorage`).
    var connectionLimit: Int { get }

    /// Releases connections; the storage is not used afterwards.
    func close() async
}

extension ServerStorage {
    public func close() async {}
}

/// A token as stored: never the secret, only who it speaks for, what it may do, and when it
/// was issued, expires or was revoked (times in milliseconds; `token list --json` writes them in RFC 3339).
public struct TokenRecord: Sendable, Equatable, Encodable {
    public let id: String
    public let assessor: String
    public let engagement: String
    public let role: TokenRole
    public let createdAt: UInt64
    public let revokedAt: UInt64?
    public let expiresAt: UInt64?

    /// A row of either backend; a role this build does not know grants only reading.
    public init(id: String, assessor: String, engagement: String, role: String, created: Int64, revoked: Int64?, expires: Int64?) {
        self.id = id
        self.assessor = assessor
        self.engagement = engagement
        self.role = TokenRole(rawValue: role) ?? .reviewer
        createdAt = UInt64(max(0, created))
        revokedAt = revoked.map { UInt64(max(0, $0)) }
        expiresAt = expires.map { UInt64(max(0, $0)) }
    }

    /// The columns both backends select, in the order `init` takes them.
    static let columns = "id, assessor, engagement, role, created, revoked, expires"

    /// Whether the token has expired at `now`.
    public func hasExpired(at now: UInt64) -> Bool { expiresAt.map { $0 <= now } ?? false }

    public static func time(_ milliseconds: UInt64) -> String { Timestamps.rfc3339(milliseconds: milliseconds, fractional: false) }

    enum CodingKeys: String, CodingKey { case id, assessor, engagement, role, created, revoked, expires }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(assessor, forKey: .assessor)
        try container.encode(engagement, forKey: .engagement)
        try container.encode(role, forKey: .role)
        try container.encode(Self.time(createdAt), forKey: .created)
        try container.encodeIfPresent(revokedAt.map(Self.time), forKey: .revoked)
        try container.encodeIfPresent(expiresAt.map(Self.time), forKey: .expires)
    }
}

/// A token just issued, with its secret: returned once, never stored.
public struct IssuedToken: Sendable, Equatable, Codable {
    public let id: String
    public let token: String
    public let assessor: String
    public let engagement: String
    public let role: TokenRole
    /// When it stops being accepted (RFC 3339); nil for never.
    public let expires: String?
}

/// Why the server refused something, with the HTTP status it maps to.
public enum ServerError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownEngagement(String)
    case engagementExists(String)
    /// A public key bound to one assessor, offered for another (409).
    case keyBound(assessor: String, engagement: String)
    /// The database was written by a newer release: the server's own fault, not the client's.
    case newerSchema(String)
    case invalidChanges(String)
    /// Changes stamped further ahead of the server's clock than it accepts (kept by the client).
    case changesAhead(String)
    case badRequest(String)
    /// What the pushing token may not do: write as someone else, with an unbound key, or at
    /// all (a reviewer's); the code says which.
    case forbidden(WireErrorCode, String)
    /// The backing database cannot be reached or refused the server's login.
    case unavailable(String)

    public var isUnavailable: Bool {
        if case .unavailable = self { true } else { false }
    }

    public var description: String {
        switch self {
        case .unknownEngagement(let id): "No engagement '\(id.prefix(80))' on this server."
        case .engagementExists(let id): "An engagement '\(id)' exists already."
        case .keyBound(let assessor, let engagement):
            "That public key is bound to '\(assessor)' on engagement \(engagement) already; a key speaks for one assessor."
        case .newerSchema(let location): "The server database \(location) was written by a newer fieldbook-server; update it."
        case .invalidChanges(let why), .changesAhead(let why): why
        case .badRequest(let why): why
        case .forbidden(_, let why): why
        case .unavailable(let why): why
        }
    }
}

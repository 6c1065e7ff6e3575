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
    /// key, the key's site is bound to the assessor at once (see `push`).
    func createToken(assessor: String, engagement: String, publicKey: Data?, now: UInt64) async throws -> IssuedToken
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

    /// Releases connections; the storage is not used afterwards.
    func close() async
}

extension ServerStorage {
    public func close() async {}
}

/// A token as stored: never the secret, only who it speaks for and when it was issued or revoked.
public struct TokenRecord: Sendable, Equatable, Codable {
    public let id: String
    public let assessor: String
    public let engagement: String
    public let created: String
    public let revoked: String?
}

/// A token just issued, with its secret: returned once, never stored.
public struct IssuedToken: Sendable, Equatable, Codable {
    public let id: String
    public let token: String
    public let assessor: String
    public let engagement: String
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
    case badRequest(String)
    /// A change written as someone the pushing token may not speak for.
    case forbidden(String)
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
        case .invalidChanges(let why): why
        case .badRequest(let why): why
        case .forbidden(let why): why
        case .unavailable(let why): why
        }
    }
}

import FieldbookWire
import FieldbookModel
import Hummingbird
import NIOHTTP1

/// Every route under `/v1/engagements/{id}` needs `Authorization: Bearer TOKEN` for that
/// engagement: 401 without a valid token (missing, unknown, revoked or expired), 404 for an
/// engagement the server does not hold, 403 for a token of another engagement, and 429 for a
/// client that sent too many bad tokens lately (`AuthFailureLimiter`). What the token's role
/// may do is the routes' business (`SyncController.requireWriter`).
struct AuthMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let storage: any ServerStorage
    let limiter: AuthFailureLimiter
    let now: @Sendable () -> UInt64

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let client = AuthFailureLimiter.client(peer: context.peerAddress, forwardedFor: request.headers[.xForwardedFor])
        let token: TokenRecord
        do {
            token = try await authenticate(request)
        } catch let error as WireHTTPError where error.status == .unauthorized {
            // Only a bad token is slowed down: a valid one passes even from a blocked address.
            if let client, let seconds = limiter.retryAfter(client, now: now()) {
                context.logger.notice("bad tokens from one client: refused for now", metadata: ["client": "\(client)"])
                throw WireHTTPError(.tooManyRequests, .tooManyAttempts, "Too many requests with bad tokens came from your address; wait \(seconds) seconds before trying again.",
                                    headers: [.retryAfter: String(seconds)])
            }
            if let client { limiter.recordFailure(client, now: now()) }
            throw error
        }
        let engagement = try context.parameters.require("engagement")
        // "." and ".." pass the id rules but are path steps: blobs live under objects/<engagement>/.
        guard EntityID(engagement) != nil, engagement != ".", engagement != ".." else {
            throw WireHTTPError(.badRequest, .badRequest, "'\(engagement.prefix(60))' is not an engagement id.")
        }
        if token.engagement != engagement {
            guard try await storage.engagement(engagement) != nil else {
                throw WireHTTPError(.notFound, .unknownEngagement, "This server holds no engagement '\(engagement)'.")
            }
            throw WireHTTPError(.forbidden, .otherEngagement, "The token \(token.id) is for engagement \(token.engagement), not \(engagement).")
        }
        var context = context
        context.token = token
        context.logger[metadataKey: "assessor"] = .string(token.assessor)
        context.logger[metadataKey: "engagement"] = .string(engagement)
        context.logger[metadataKey: "role"] = .string(token.role.rawValue)
        return try await next(request, context)
    }

    /// The request's token, if it is one this server accepts now; 401 otherwise.
    private func authenticate(_ request: Request) async throws -> TokenRecord {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw WireHTTPError(.unauthorized, .tokenMissing, "A bearer token is needed; ask the server's administrator for one (fieldbook-server token create).")
        }
        let secret = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
        guard let token = try await storage.token(hash: TokenSecret.hash(secret)) else {
            throw WireHTTPError(.unauthorized, .tokenUnknown, "The token is not known to this server.")
        }
        guard token.revokedAt == nil else {
            throw WireHTTPError(.unauthorized, .tokenRevoked, "The token \(token.id) was revoked; ask for a new one.")
        }
        if let expires = token.expiresAt, token.hasExpired(at: now()) {
            throw WireHTTPError(.unauthorized, .tokenExpired, "The token \(token.id) expired at \(TokenRecord.time(expires)); ask for a new one.")
        }
        return token
    }
}

extension HTTPFields.Element.Name {
    /// Set by a reverse proxy: the addresses a request came through, the client's first.
    static let xForwardedFor = Self("X-Forwarded-For")!
}

/// Turns the server's own errors into JSON answers with the right status; anything
/// unexpected becomes a plain 500 (logged, never a stack trace on the wire).
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as WireHTTPError {
            throw error
        } catch let error as HTTPError {
            // The router's own 404 and the body limit's 413 carry no message: give them one.
            throw WireHTTPError(error.status, Self.code(for: error.status), error.body ?? Self.message(for: error.status, request, context))
        } catch let error as HTTPParserError {
            throw WireHTTPError(.badRequest, .badRequest, "The request is not well-formed HTTP (\(error)).")
        } catch let error as ServerError {
            switch error {
            case .unknownEngagement: throw WireHTTPError(.notFound, .unknownEngagement, error.description)
            case .engagementExists: throw WireHTTPError(.conflict, .engagementExists, error.description)
            case .keyBound: throw WireHTTPError(.conflict, .keyBound, error.description)
            case .newerSchema:
                context.logger.error("storage written by a newer release", metadata: ["error": "\(error)"])
                throw WireHTTPError(.internalServerError, .newerServerSchema,
                                    "The server's database was written by a newer release; its operator must update the server.")
            case .invalidChanges: throw WireHTTPError(.unprocessableContent, .invalidChanges, error.description)
            case .changesAhead: throw WireHTTPError(.unprocessableContent, .changesAhead, error.description)
            case .badRequest: throw WireHTTPError(.badRequest, .badRequest, error.description)
            case .forbidden(let code, _): throw WireHTTPError(.forbidden, code, error.description)
            case .unavailable:
                context.logger.error("storage unavailable", metadata: ["error": "\(error)"])
                throw WireHTTPError(.serviceUnavailable, .storageUnavailable, "The server's database is unavailable; try again shortly.")
            }
        } catch let error as BlobError {
            switch error {
            case .tooLarge: throw WireHTTPError(.contentTooLarge, .tooLarge, error.description)
            case .hashMismatch: throw WireHTTPError(.unprocessableContent, .hashMismatch, error.description)
            case .unavailable:
                context.logger.error("object store unavailable", metadata: ["error": "\(error)"])
                throw WireHTTPError(.serviceUnavailable, .storageUnavailable, "The server's object store is unavailable; try again shortly.")
            }
        } catch let error as HTTPResponseError {
            throw WireHTTPError(error.status, Self.code(for: error.status), Self.message(for: error.status, request, context))
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            throw WireHTTPError(.internalServerError, .serverFailure, "The server failed to handle the request; its log has the details.")
        }
    }

    /// The code of an error Hummingbird raised itself (routing, body limits, parsing).
    static func code(for status: HTTPResponse.Status) -> WireErrorCode {
        switch status {
        case .notFound: .noRoute
        case .contentTooLarge: .tooLarge
        case .unauthorized: .tokenMissing
        case _ where status.code >= 500: .serverFailure
        default: .badRequest
        }
    }

    static func message(for status: HTTPResponse.Status, _ request: Request, _ context: Context) -> String {
        switch status {
        case .notFound: "There is no route \(request.method) \(request.uri.path.prefix(80)); docs/api.md lists the routes of /v1."
        case .contentTooLarge: "The body is larger than the \(context.maxUploadSize >> 20) MiB this route accepts; send less at once."
        default: "The request was refused (\(status.code) \(status.reasonPhrase))."
        }
    }
}

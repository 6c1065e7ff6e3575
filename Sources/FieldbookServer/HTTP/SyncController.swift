import FieldbookReplica
import FieldbookWire
import Foundation
import Hummingbird
import NIOCore

/// The sync routes of one engagement: info, vector, push, pull, and blobs by hash.
struct SyncController {
    let storage: any ServerStorage
    let blobs: BlobStore
    let maximumSkewMilliseconds: UInt64
    let now: @Sendable () -> UInt64

    func add(to group: RouterGroup<ServerContext>) {
        group.get(use: info)
        group.get("vector", use: vector)
        group.post("changes", use: push)
        group.post("pull", use: pull)
        group.head("blobs/:sha256", use: headBlob)
        group.get("blobs/:sha256", use: getBlob)
        group.put("blobs/:sha256", use: putBlob)
    }

    @Sendable func info(_ request: Request, context: ServerContext) async throws -> EngagementInfo {
        guard let engagement = try await storage.engagement(try context.parameters.require("engagement")) else {
            throw ServerError.unknownEngagement(try context.parameters.require("engagement"))
        }
        // The asker's role, so a client learns whether its token may push.
        return EngagementInfo(id: engagement.id, name: engagement.name, role: context.token?.role)
    }

    /// Refuses a token that may only read (a reviewer's) on the routes that write.
    static func requireWriter(_ context: ServerContext) throws {
        // Fail closed: a route that writes without a token in context is refused too.
        guard let token = context.token else { throw ServerError.forbidden(.readOnlyToken, "This route needs an assessor's token.") }
        guard !token.role.mayWrite else { return }
        throw ServerError.forbidden(.readOnlyToken, "The token \(token.id) is a reviewer's, which may read this engagement and download its evidence but not push changes or upload evidence; ask the engagement's administrator for an assessor token.")
    }

    @Sendable func vector(_ request: Request, context: ServerContext) async throws -> VersionVector {
        try await storage.vector(engagement: try context.parameters.require("engagement"))
    }

    @Sendable func push(_ request: Request, context: ServerContext) async throws -> PushResponse {
        try Self.requireWriter(context)
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let batch: ReceivedBatch
        do {
            batch = try ReceivedBatch(bytes: Data(buffer: body))
        } catch {
            throw ServerError.badRequest(Self.batchRefusal(error))
        }
        guard batch.changes.count <= Wire.maximumBatchChanges else {
            throw WireHTTPError(.contentTooLarge, .tooLarge, "A push carries at most \(Wire.maximumBatchChanges) changes; split the batch.")
        }
        let engagement = try context.parameters.require("engagement")
        let result = try await storage.push(batch, engagement: engagement, pusher: context.token?.assessor ?? "", now: now(), maximumSkewMilliseconds: maximumSkewMilliseconds)
        context.logger.info("push", metadata: ["received": "\(result.received)", "applied": "\(result.applied)"])
        return result
    }

    @Sendable func pull(_ request: Request, context: ServerContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let pull: PullRequest
        do {
            pull = try JSONDecoder().decode(PullRequest.self, from: Data(buffer: body))
        } catch {
            throw ServerError.badRequest("The body is not a pull request ({\"vector\", \"after\", \"limit\"}): \(Self.reason(error)).")
        }
        let page = try await storage.pull(engagement: try context.parameters.require("engagement"), request: pull)
        try ProtocolGate.check(page, client: ProtocolMiddleware.client(of: request))
        var headers = HTTPFields()
        headers[.contentType] = Wire.pullMediaType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: page.encoded())))
    }

    /// One sentence for a body that is not a change batch (ReplicaError's own wording would
    /// say "could not be read" twice and end in JSONDecoder's full stop plus its own).
    static func batchRefusal(_ error: any Error) -> String {
        guard case .malformed(let why)? = error as? ReplicaError else { return "The body is not a change batch: \(error)" }
        let reason = why == "The given data was not valid JSON." ? "it is not JSON, or a number in it is out of range"
            : why.trimmingCharacters(in: CharacterSet(charactersIn: "."))
        return "The body is not a change batch: \(reason.prefix(200))."
    }

    /// Why a JSON body did not decode, in a few words (never Swift's own description).
    static func reason(_ error: any Error) -> String {
        func path(_ keys: [any CodingKey]) -> String { keys.map { String($0.stringValue.prefix(40)) }.joined(separator: ".") }
        switch error as? DecodingError {
        case let .keyNotFound(key, _)?: return "'\(key.stringValue)' is missing"
        case let .typeMismatch(_, context)?, let .valueNotFound(_, context)?: return "'\(path(context.codingPath))' has the wrong type"
        case let .dataCorrupted(context)? where !context.codingPath.isEmpty:
            return "'\(path(context.codingPath))' is invalid: \(context.debugDescription.prefix(120).trimmingCharacters(in: CharacterSet(charactersIn: ".")))"
        default: return "it is not JSON, or a number in it is out of range"
        }
    }

    private func blobPath(_ context: ServerContext) throws -> (engagement: String, sha256: String) {
        let sha = try context.parameters.require("sha256")
        guard BlobStore.isHash(sha) else { throw ServerError.badRequest("'\(sha.prefix(70))' is not a SHA-256 in lowercase hex.") }
        return (try context.parameters.require("engagement"), sha)
    }

    @Sendable func headBlob(_ request: Request, context: ServerContext) async throws -> Response {
        let (engagement, sha) = try blobPath(context)
        guard let size = blobs.size(engagement: engagement, sha256: sha) else { return Response(status: .notFound) }
        var headers = HTTPFields()
        headers[.contentLength] = String(size)
        return Response(status: .ok, headers: headers)
    }

    @Sendable func getBlob(_ request: Request, context: ServerContext) async throws -> Response {
        let (engagement, sha) = try blobPath(context)
        guard let size = blobs.size(engagement: engagement, sha256: sha) else {
            throw WireHTTPError(.notFound, .noBlob, "No blob \(sha.prefix(12))... in this engagement.")
        }
        let body = try await FileIO().loadFile(path: blobs.path(engagement: engagement, sha256: sha).path, context: context)
        var headers = HTTPFields()
        headers[.contentType] = "application/octet-stream"
        headers[.contentLength] = String(size)
        return Response(status: .ok, headers: headers, body: body)
    }

    @Sendable func putBlob(_ request: Request, context: ServerContext) async throws -> Response {
        try Self.requireWriter(context)
        let (engagement, sha) = try blobPath(context)
        let outcome = try await blobs.put(engagement: engagement, sha256: sha, limit: Wire.maximumBlobBytes,
                                          chunks: request.body.map { Array(buffer: $0) })
        return Response(status: outcome == .stored ? .created : .ok)
    }
}

import FieldbookReplica
import FieldbookWire
import Foundation
import Hummingbird
import NIOCore

/// How this server writes JSON answers, through Hummingbird's own hook
/// (`ServerContext.responseEncoder`). What a handler returns (a `ResponseEncodable`) is written
/// with the wire's encoder (`Wire.jsonEncoder`: sorted keys, slashes unescaped) as
/// `application/json`, the bytes the sync client and docs/api.md expect. Hummingbird's own
/// bodies (an `HTTPError`'s `{"error": {"message"}}`) keep its default JSON encoding and
/// `application/json; charset=utf-8`, as they always had.
public struct WireResponseEncoder: ResponseEncoder {
    public init() {}

    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        guard value is any ResponseEncodable else {
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            return try encoder.encode(value, from: request, context: context)
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: try Wire.jsonEncoder.encode(value))))
    }
}

// The wire's JSON answers, returned by handlers as they are.
extension HealthResponse: ResponseEncodable {}
extension ReadinessResponse: ResponseEncodable {}
extension EngagementInfo: ResponseEncodable {}
extension PushResponse: ResponseEncodable {}
extension VersionVector: ResponseEncodable {}
extension ErrorResponse: ResponseEncodable {}

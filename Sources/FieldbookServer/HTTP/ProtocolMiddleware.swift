import FieldbookModel
import FieldbookWire
import HTTPTypes
import Hummingbird

/// States this server's protocol (`Fieldbook-Protocol`) on every answer, errors included, so a
/// client learns what the server reads before it sends changes the server would refuse.
struct ProtocolMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    static let header = HTTPField.Name(Wire.protocolHeader)!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            var response = try await next(request, context)
            response.headers[Self.header] = String(ProtocolVersion.current.rawValue)
            return response
        } catch var error as WireHTTPError {
            error.headers[Self.header] = String(ProtocolVersion.current.rawValue)
            throw error
        }
    }

    /// The protocol the request's client speaks; protocol 1 when it states none (Fieldbook 0.1).
    static func client(of request: Request) -> ProtocolVersion {
        Wire.statedProtocol(request.headers[header])
    }
}

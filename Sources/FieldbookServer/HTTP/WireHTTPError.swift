import FieldbookWire
import HTTPTypes
import Hummingbird

/// An error answer in the wire's shape, `{"error":{"code","message","request_id"}}` (`ErrorResponse`),
/// written by the context's response encoder like every other answer.
struct WireHTTPError: HTTPResponseError {
    let status: HTTPResponse.Status
    let code: WireErrorCode
    let message: String
    var headers: HTTPFields = [:]
    /// Set by `RequestLogMiddleware` on the way out: the router answers a thrown error with the
    /// context it started with, which never saw the request's id.
    var requestID: String?

    init(_ status: HTTPResponse.Status, _ code: WireErrorCode, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try context.responseEncoder.encode(ErrorResponse(code, message, requestID: requestID), from: request, context: context)
        response.status = status
        response.headers.append(contentsOf: headers)
        return response
    }
}

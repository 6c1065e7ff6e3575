import Dispatch
import FieldbookWire
import Hummingbird
import Logging
import Metrics

/// What the server keeps of every request, outside `ErrorMiddleware`: its id (`RequestID`) in the
/// logger's metadata, the `X-Request-Id` header and the body of an error answer; one log line
/// once the answer is written (method, path, route, status, duration, the refusal's code, the
/// engagement); and `fieldbook_refusals_total` by wire code.
///
/// Errors are turned into answers here rather than thrown on: Hummingbird answers a thrown error
/// with the context the request started with, which never saw the id, and `MetricsMiddleware`
/// outside this one times only answers, never thrown errors.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    /// Hummingbird's key, kept so its own lines about the request carry the same id; the JSON log
    /// writes it as `request_id` (`JSONLogHandler`).
    static let metadataKey = "hb.request.id"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        let id = RequestID.of(request, generated: context.id)
        var context = context
        context.logger[metadataKey: Self.metadataKey] = .string(id)
        var response: Response
        var code: WireErrorCode?
        do {
            response = try await next(request, context)
        } catch var error as WireHTTPError {
            error.requestID = id
            code = error.code
            response = try error.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.xRequestID] = id
        if let code {
            Counter(label: "fieldbook_refusals_total", dimensions: [("code", code.rawValue)]).increment()
        }
        let status = response.status.code
        var metadata: Logger.Metadata = [
            "method": .string(request.method.rawValue),
            "path": .string(String(request.uri.path.prefix(200))),
            "route": .string(context.endpointPath ?? "unmatched"),
            "status": .stringConvertible(status),
        ]
        if let code { metadata["code"] = .string(code.rawValue) }
        if let engagement = context.parameters.get("engagement") { metadata["engagement"] = .string(String(engagement.prefix(80))) }
        let (logger, fields, body) = (context.logger, metadata, response.body)
        // Logged once the body is written, so a download's duration includes sending it.
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            func log(_ outcome: String?) {
                var metadata = fields
                metadata["duration_ms"] = .stringConvertible(Double((DispatchTime.now().uptimeNanoseconds - started) / 1000) / 1000)
                if let outcome { metadata["outcome"] = .string(outcome) }
                logger.log(level: status >= 500 ? .error : .info, "request", metadata: metadata)
            }
            do {
                try await body.write(writer)
            } catch {
                log("the answer could not be sent whole: \(error)")
                throw error
            }
            log(nil)
        }
        return response
    }
}

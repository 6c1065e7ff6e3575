import Foundation
import HTTPTypes
import Hummingbird

/// Every request passes here first, in this order:
/// 1. the Host header must name this listener (`127.0.0.1:PORT` or `localhost:PORT`): a page on
///    another site that rebinds its own name to 127.0.0.1 sends its own name and is refused;
/// 2. a request carrying the start URL's `key` opens a session and is sent on without the key;
///    any other request needs the session's cookie;
/// 3. only GET, HEAD and POST are answered; a POST must come from this origin (`Origin`, or
///    `Sec-Fetch-Site` when the browser sends no Origin), and its form must echo the session's
///    token (checked where the form is read, `FormInput`);
/// 4. every answer carries the security headers (`SecurityHeaders`).
struct GateMiddleware: RouterMiddleware {
    typealias Context = WorkbenchContext
    let gate: SessionGate
    let port: @Sendable () -> Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await admit(request, context: context, next: next)
        SecurityHeaders.apply(to: &response.headers)
        return response
    }

    private func admit(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let origins = ["127.0.0.1:\(port())", "localhost:\(port())"]
        guard let host = request.head.authority, origins.contains(host.lowercased()) else {
            return Refusal.page(.misdirectedRequest, "This workbench answers only at http://127.0.0.1:\(port())/; the address used named another host.")
        }
        if let key = request.uri.queryParameters["key"].map(String.init) {
            guard gate.opens(key) else {
                return Refusal.page(.unauthorized, "That key does not open this workbench; use the address 'fieldbook ui' printed in its terminal.")
            }
            let session = gate.startSession()
            var response = Response(status: .seeOther, headers: [.location: request.uri.path.isEmpty ? "/" : request.uri.path])
            response.setCookie(Cookie(name: SessionGate.cookieName, value: session.id, path: "/", httpOnly: true, sameSite: .strict))
            return response
        }
        guard let session = gate.session(cookie: request.cookies[SessionGate.cookieName]?.value) else {
            return Refusal.page(.unauthorized, "This workbench needs the address 'fieldbook ui' printed in its terminal (it carries a key); open that address.")
        }
        switch request.method {
        case .get, .head: break
        case .post:
            guard Self.sameOrigin(origin: request.headers[.origin], fetchSite: request.headers[HTTPField.Name("Sec-Fetch-Site")!],
                                  allowed: origins.map { "http://" + $0 }) else {
                return Refusal.page(.forbidden, "A form from another site cannot write to this workbench; use its own pages.")
            }
        default:
            return Refusal.page(.methodNotAllowed, "The workbench answers GET and POST only.")
        }
        var context = context
        context.session = session
        return try await next(request, context)
    }

    /// Whether a write comes from this origin: its `Origin` names it; a browser that sends
    /// `Origin: null` (some privacy settings do, for same-origin forms) must say `Sec-Fetch-Site:
    /// same-origin`. A client that sends neither (curl) still needs the form token.
    static func sameOrigin(origin: String?, fetchSite: String?, allowed: [String]) -> Bool {
        if let origin, origin != "null" { return allowed.contains(origin.lowercased()) }
        if let fetchSite { return fetchSite == "same-origin" }
        return origin == nil
    }
}

/// The headers every answer carries: no script, style, image or connection from anywhere but
/// this origin, no inline script, no framing, no sniffing, nothing cached by other users' proxies.
enum SecurityHeaders {
    static let contentSecurityPolicy = [
        "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
        "form-action 'self'", "frame-ancestors 'none'", "base-uri 'none'",
    ].joined(separator: "; ")

    static func apply(to headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        headers[HTTPField.Name("Cross-Origin-Resource-Policy")!] = "same-origin"
        if headers[.cacheControl] == nil { headers[.cacheControl] = "no-store" }
    }
}

/// Hummingbird's `MetricsMiddleware` names its metrics OpenTelemetry's way (`hb.requests`,
/// `http.server.request.duration`, `http.route`); Prometheus wants `fieldbook_..._total` and
/// `_seconds` and plain label names. The server's own metrics are named so already and pass
/// through unchanged.
enum PrometheusNaming {
    static let names = [
        "hb.requests": "fieldbook_http_requests_total",
        "http.server.request.duration": "fieldbook_http_request_duration_seconds",
        "http.server.active_requests": "fieldbook_http_requests_in_flight",
        "hb.request.errors": "fieldbook_http_request_errors_total",
    ]

    static let labels = [
        "http.route": "route",
        "http.request.method": "method",
        "http.response.status_code": "status",
        "error.type": "status",
    ]

    /// Hummingbird's words for a request no route matched; one value for all of them keeps
    /// scanners' random paths out of the label (the route is a template, never a path).
    static let unmatchedRoutes: Set<String> = ["Unknown", "NotFound"]

    @Sendable static func rename(_ name: String, _ dimensions: [(String, String)]) -> (String, [(String, String)]) {
        let renamed = dimensions.map { key, value in
            (labels[key] ?? key, key == "http.route" && unmatchedRoutes.contains(value) ? "unmatched" : value)
        }
        return (names[name] ?? name, renamed)
    }
}

@testable import FieldbookServer
import Testing

struct PrometheusNamingTests {
    @Test("Hummingbird's request metrics take Prometheus names and plain labels; unmatched paths share one route; the server's own pass through")
    func renames() {
        let (name, labels) = PrometheusNaming.rename("hb.requests", [("http.route", "/v1/engagements/{engagement}/changes"),
                                                                     ("http.request.method", "POST"), ("http.response.status_code", "200")])
        #expect(name == "fieldbook_http_requests_total")
        #expect(labels.map(\.0) == ["route", "method", "status"] && labels.map(\.1) == ["/v1/engagements/{engagement}/changes", "POST", "200"])
        #expect(PrometheusNaming.rename("http.server.request.duration", []).0 == "fieldbook_http_request_duration_seconds")
        #expect(PrometheusNaming.rename("hb.requests", [("http.route", "NotFound")]).1.map(\.1) == ["unmatched"])
        let own = PrometheusNaming.rename("fieldbook_refusals_total", [("code", "token_unknown")])
        #expect(own.0 == "fieldbook_refusals_total" && own.1.map(\.1) == ["token_unknown"])
    }

    @Test("an incoming request id is taken only when short and plain")
    func requestIDs() {
        #expect(RequestID.isSane("3f2a-9c.b_1"))
        #expect(RequestID.isSane(String(repeating: "a", count: 64)))
        for insane in ["", String(repeating: "a", count: 65), "a b", "a\"b", "a\nb", "é", "a/b"] {
            #expect(!RequestID.isSane(insane), "\(insane)")
        }
    }
}

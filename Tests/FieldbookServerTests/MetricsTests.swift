import FieldbookWire
import Foundation
import Testing

/// `serve --metrics-port`: Prometheus metrics on a listener of their own, read as a scraper does.
@Suite(.serialized)
struct MetricsTests {
    static let push = "/v1/engagements/{engagement}/changes"

    @Test("/metrics on its own port counts requests by route and status with their latency, the changes and bytes pushed and pulled, refusals by code and the database's use; the API port does not serve it",
          arguments: ServerBackend.underTest)
    func scrape(backend: ServerBackend) async throws {
        let server = try ServerProcess(backend, arguments: ["--metrics-port", "0"])
        defer { withExtendedLifetime(server) {} }
        let metricsPort = try #require(server.metricsPort)
        #expect(metricsPort != server.port)
        let engagement = try server.createEngagement("Metrics")
        let ana = try Laptop(), ben = try Laptop()
        for (laptop, name) in [(ana, "Ana"), (ben, "Ben")] {
            let token = try server.token(for: name, engagement: engagement).secret
            #expect(try laptop.run("clone", server.url, "--engagement", engagement, "--token", token, "--assessor", name).status == 0)
        }
        try ana.run("assess", "GV-1.1", "--result", "compliant")
        try ana.run("risk", "add", "Drift in the credit model", "--likelihood", "3", "--impact", "4")
        let pushed = try ana.run("sync")
        #expect(pushed.status == 0, "\(pushed.stderr)")
        let reader = try server.token(for: "Cy", engagement: engagement).secret
        let held = try await server.vector(engagement, token: reader).count
        #expect(held > 0)
        #expect(try ben.run("sync").status == 0)
        let refused = try RawHTTP.send(port: server.port, method: "GET", target: Array("/v1/engagements/\(engagement)/vector".utf8),
                                       headers: [("Authorization", Array("Bearer fbt_not-a-real-token".utf8))])
        #expect(refused.status == 401)
        #expect(try RawHTTP.send(port: server.port, method: "GET", target: Array("/metrics".utf8)).status == 404)

        let metrics = try scrape(metricsPort)
        #expect(metrics.unreadable.isEmpty, "\(metrics.unreadable)")
        let pushes = ["route": Self.push, "method": "POST", "status": "200"]
        #expect((metrics.value("fieldbook_http_requests_total", pushes) ?? 0) >= 1)
        // Every request timed: the histogram's count matches the counter, its +Inf bucket holds them all.
        #expect(metrics.value("fieldbook_http_request_duration_seconds_count", pushes) == metrics.value("fieldbook_http_requests_total", pushes))
        #expect(metrics.value("fieldbook_http_request_duration_seconds_bucket", pushes.merging(["le": "+Inf"]) { $1 })
            == metrics.value("fieldbook_http_requests_total", pushes))
        #expect(metrics.value("fieldbook_changes_pushed_total", ["result": "applied"]) == Double(held))
        #expect((metrics.value("fieldbook_pushed_bytes_total") ?? 0) > Double(held))
        // Ben's clone and sync took everything Ana pushed; Ana's own pulls found nothing new.
        #expect(metrics.value("fieldbook_changes_pulled_total") == Double(held))
        #expect((metrics.value("fieldbook_pulled_bytes_total") ?? 0) > Double(held))
        #expect(metrics.value("fieldbook_refusals_total", ["code": "token_unknown"]) == 1)
        #expect(metrics.value("fieldbook_http_requests_total", ["route": "/v1/engagements/{engagement}/vector", "status": "401"]) == 1)
        // A request no route matched is counted under one label, never under its path.
        #expect(metrics.value("fieldbook_http_requests_total", ["route": "unmatched", "status": "404"]) == 1)
        #expect(!metrics.samples.contains { $0.labels["route"] == "/metrics" })
        #expect(metrics.value("fieldbook_db_connections_max") == (backend == .sqlite ? 6 : 16))
        #expect(metrics.value("fieldbook_db_operations_in_flight") == 0)
        #expect((metrics.value("fieldbook_db_operation_duration_seconds_count", ["operation": "push"]) ?? 0) >= 1)
        #expect(metrics.value("fieldbook_refusals_total", ["code": "read_only_token"]) == nil)

        // Scrapes are not requests of the API: a second one counts the same.
        let again = try scrape(metricsPort)
        #expect(again.value("fieldbook_http_requests_total") == metrics.value("fieldbook_http_requests_total"))
    }

    @Test("without --metrics-port no metrics listener starts", arguments: [ServerBackend.sqlite])
    func noListener(backend: ServerBackend) throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        #expect(server.metricsPort == nil)
        let output = try String(contentsOf: server.outputFile, encoding: .utf8)
        #expect(output.contains("listening on") && !output.contains("metrics on"), "\(output)")
    }

    @Test("a metrics port that is the API's, or out of range, is refused before anything starts")
    func refusedPorts() throws {
        let store = try ServerDatabase(.sqlite)
        for arguments in [["--port", "8123", "--metrics-port", "8123"], ["--metrics-port", "70000"]] {
            let result = try ChildProcess.run(ServerProcess.binary("fieldbook-server"),
                                              ["serve", "--database", store.location] + arguments)
            #expect(result.status == 1 && result.stderr.contains("--metrics-port"), "\(arguments): \(result.stderr)")
        }
    }

    func scrape(_ port: Int) throws -> PrometheusText {
        let answer = try RawHTTP.send(port: port, method: "GET", target: Array("/metrics".utf8))
        #expect(answer.status == 200)
        #expect(answer.header("content-type")?.hasPrefix("text/plain") == true)
        return PrometheusText(String(decoding: answer.body, as: UTF8.self))
    }
}

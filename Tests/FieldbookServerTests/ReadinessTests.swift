import FieldbookWire
import Foundation
import Testing

/// `/healthz` and `/readyz`, what a load balancer and an orchestrator ask, with no token.
@Suite(.serialized)
struct ReadinessTests {
    @Test("healthz answers while the process runs; readyz is ready while the database and objects answer, 503 naming the part that does not",
          arguments: ServerBackend.underTest)
    func readiness(backend: ServerBackend) async throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        let (health, _) = try await server.request("GET", "/healthz", token: nil)
        #expect(health == 200)
        let (ready, body) = try await server.request("GET", "/readyz", token: nil)
        #expect(ready == 200, "\(String(decoding: body, as: UTF8.self))")
        #expect(try JSONDecoder().decode(ReadinessResponse.self, from: body) == ReadinessResponse(status: "ready", database: "ok", objects: "ok"))

        // The object folder gone (a lost mount): not ready, and it says why; health still answers.
        let objects = URL(fileURLWithPath: server.store.objects)
        let moved = objects.deletingLastPathComponent().appendingPathComponent("objects-away")
        try FileManager.default.moveItem(at: objects, to: moved)
        defer { try? FileManager.default.moveItem(at: moved, to: objects) }
        let (unready, why) = try await server.request("GET", "/readyz", token: nil)
        #expect(unready == 503)
        let readiness = try JSONDecoder().decode(ReadinessResponse.self, from: why)
        #expect(readiness.status == "unavailable" && readiness.database == "ok" && readiness.objects.contains("missing"), "\(readiness)")
        #expect(try await server.request("GET", "/healthz", token: nil).status == 200)
    }
}

import FieldbookWire
import Foundation
import Testing

/// Every request's id, followed from the client's error to the server's JSON log line.
@Suite(.serialized)
struct RequestLogTests {
    @Test("a failed sync prints the request id that the server's JSON log line, its X-Request-Id header and its error body carry",
          arguments: ServerBackend.underTest)
    func clientErrorLeadsToLogLine(backend: ServerBackend) async throws {
        let server = try ServerProcess(backend, arguments: ["--log-format", "json"])
        defer { withExtendedLifetime(server) {} }
        let engagement = try server.createEngagement("Logs")
        let laptop = try Laptop()
        #expect(try laptop.run("init", "--engagement", "Logs", "--assessor", "Ana", "--id", engagement).status == 0)
        #expect(try laptop.run("remote", "add", "origin", server.url, "--token", "fbt_not-a-real-token").status == 0)
        let refused = try laptop.run("sync")
        #expect(refused.status == 5, "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        let id = try #require(Self.requestID(in: refused.stderr), "\(refused.stderr)")

        let line = try #require(try await Self.logLine(server) { $0["request_id"] as? String == id && $0["message"] as? String == "request" })
        #expect(line["status"] as? Int == 401)
        #expect(line["code"] as? String == "token_unknown")
        #expect(line["engagement"] as? String == engagement)
        #expect((line["route"] as? String)?.hasPrefix("/v1/engagements/{engagement}") == true, "\(line)")
        #expect(line["level"] as? String == "info")
        #expect(line["duration_ms"] as? Double != nil, "\(line)")
        #expect((line["timestamp"] as? String).flatMap { try? Date($0, strategy: .iso8601) } != nil, "\(line)")

        // The same request again, raw: its header and its error body carry the id it logged.
        let raw = try RawHTTP.send(port: server.port, method: "GET", target: Array("/v1/engagements/\(engagement)/vector".utf8),
                                   headers: [("Authorization", Array("Bearer fbt_not-a-real-token".utf8))])
        let header = try #require(raw.header("x-request-id"))
        #expect(try JSONDecoder().decode(ErrorResponse.self, from: raw.body).error.requestID == header)
        #expect(try await Self.logLine(server) { $0["request_id"] as? String == header && $0["status"] as? Int == 401 } != nil)
        #expect(header != id)
    }

    @Test("a sane X-Request-Id from a client or proxy is kept, anything else is replaced; answers that succeed carry one too")
    func incomingIDs() async throws {
        let server = try ServerProcess(.sqlite, arguments: ["--log-format", "json"])
        defer { withExtendedLifetime(server) {} }
        let kept = try RawHTTP.send(port: server.port, method: "GET", target: Array("/v1/engagements/nope/vector".utf8),
                                    headers: [("X-Request-Id", Array("proxy-7f3a.2_b".utf8))])
        #expect(kept.status == 401)
        #expect(kept.header("x-request-id") == "proxy-7f3a.2_b")
        #expect(try JSONDecoder().decode(ErrorResponse.self, from: kept.body).error.requestID == "proxy-7f3a.2_b")
        #expect(try await Self.logLine(server) { $0["request_id"] as? String == "proxy-7f3a.2_b" } != nil)

        for insane in [String(repeating: "a", count: 65), "a\"b", "id with spaces", "é"] {
            let answer = try RawHTTP.send(port: server.port, method: "GET", target: Array("/healthz".utf8),
                                          headers: [("X-Request-Id", Array(insane.utf8))])
            #expect(answer.status == 200)
            let id = try #require(answer.header("x-request-id"))
            #expect(id != insane && !id.isEmpty && id.allSatisfy { $0.isHexDigit }, "\(id)")
            #expect(try await Self.logLine(server) { $0["request_id"] as? String == id && $0["route"] as? String == "/healthz" } != nil)
        }

        // Every line of the log is one JSON object, the start-up lines included.
        let lines = try String(contentsOf: server.logFile, encoding: .utf8).split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "\(line)")
        }
    }

    @Test("--log-format text writes swift-log's lines with the same request id")
    func textFormat() async throws {
        let server = try ServerProcess(.sqlite, arguments: ["--log-format", "text"])
        defer { withExtendedLifetime(server) {} }
        let answer = try RawHTTP.send(port: server.port, method: "GET", target: Array("/healthz".utf8),
                                      headers: [("X-Request-Id", Array("text-line-1".utf8))])
        #expect(answer.header("x-request-id") == "text-line-1")
        let deadline = Date().addingTimeInterval(10)
        var log = ""
        while Date() < deadline {
            log = try String(contentsOf: server.logFile, encoding: .utf8)
            if log.contains("text-line-1") { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(log.contains("hb.request.id=text-line-1") && log.contains("status=200"), "\(log)")
        #expect(!log.hasPrefix("{"))
    }

    /// "... (request id ID)." in a client's error.
    static func requestID(in text: String) -> String? {
        guard let range = text.range(of: "request id ") else { return nil }
        let id = text[range.upperBound...].prefix { $0.isLetter || $0.isNumber || "-_.".contains($0) }
        return id.isEmpty ? nil : String(id)
    }

    /// The first JSON log line that `matches`, waited for: a request's line is written once its answer is sent.
    static func logLine(_ server: ServerProcess, _ matches: ([String: Any]) -> Bool) async throws -> [String: Any]? {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let text = try String(contentsOf: server.logFile, encoding: .utf8)
            for line in text.split(separator: "\n") {
                if let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], matches(object) { return object }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }
}

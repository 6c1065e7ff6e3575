import FieldbookModel
import FieldbookTestSupport
import FieldbookReplica
import FieldbookWire
import Foundation
import Testing

/// Protocol versions on the real server, on each backend: every answer states the server's,
/// a client stating none (Fieldbook 0.1) is served while the engagement holds only what it
/// reads, and answered 426 with the release to install once it holds a later field.
@Suite(.serialized)
struct ProtocolVersionTests {
    /// A pull from the start, stating `protocol` (nil: no header, as Fieldbook 0.1 sends).
    static func pull(_ server: ServerProcess, _ engagement: String, token: String, protocol number: Int?) throws -> RawHTTP.Response {
        let body = try Wire.jsonEncoder.encode(PullRequest(vector: VersionVector(), after: 0))
        var headers: [(String, [UInt8])] = [("Authorization", Array("Bearer \(token)".utf8)), ("Content-Type", Array("application/json".utf8))]
        if let number { headers.append((Wire.protocolHeader, Array(String(number).utf8))) }
        return try RawHTTP.send(port: server.port, method: "POST", target: Array("/v1/engagements/\(engagement)/pull".utf8), headers: headers, body: body)
    }

    @Test("an earlier client is served until the engagement holds a change it cannot read, then told in one sentence what to install",
          arguments: ServerBackend.underTest)
    func earlierClient(backend: ServerBackend) async throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        let engagement = try server.createEngagement("Mixed releases")
        let token = try server.token(for: "Ana Ruiz", engagement: engagement).secret
        let ana = try Laptop()
        #expect(try ana.run("clone", server.url, "--engagement", engagement, "--token", token, "--assessor", "Ana Ruiz").status == 0)
        #expect(try ana.run("risk", "add", "Bias", "--likelihood", "4", "--impact", "4").status == 0)
        #expect(try ana.run("sync").status == 0)

        let early = try Self.pull(server, engagement, token: token, protocol: nil)
        #expect(early.status == 200, "\(String(decoding: early.body, as: UTF8.self))")
        #expect(early.header(Wire.protocolHeader) == String(ProtocolVersion.current.rawValue))

        #expect(try ana.run("risk", "add", "Drift", "--likelihood", "3", "--impact", "3", "--residual-likelihood", "1", "--residual-impact", "3").status == 0)
        #expect(try ana.run("sync").status == 0)
        let refused = try Self.pull(server, engagement, token: token, protocol: nil)
        #expect(refused.status == 426)
        #expect(refused.header("Upgrade") == "Fieldbook-Protocol/2")
        let error = try JSONDecoder().decode(ErrorResponse.self, from: refused.body).error
        #expect(error.code == WireErrorCode.upgradeRequired.rawValue)
        #expect(error.message.contains("install Fieldbook 0.2 or later") && error.message.contains("protocol 1 (Fieldbook 0.1)"), "\(error.message)")
        #expect(HostileInput.notOneSentence(error.message) == nil, "\(error.message)")

        for stated in [ProtocolVersion.current.rawValue, 99] {
            #expect(try Self.pull(server, engagement, token: token, protocol: stated).status == 200)
        }
        // Errors say it too, so a client learns the server's protocol from any answer.
        let unauthorised = try RawHTTP.send(port: server.port, method: "GET", target: Array("/v1/engagements/\(engagement)/vector".utf8))
        #expect(unauthorised.status == 401 && unauthorised.header(Wire.protocolHeader) == String(ProtocolVersion.current.rawValue))
    }
}

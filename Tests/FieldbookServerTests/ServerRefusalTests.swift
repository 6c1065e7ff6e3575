import FieldbookModel
import FieldbookReplica
import FieldbookWire
import Foundation
import Testing

/// Every refusal: a clear JSON error, the documented CLI exit code, and nothing stored.
@Suite(.serialized)
struct ServerRefusalTests {
    @Test("health is open; everything else needs a token for that engagement", arguments: ServerBackend.underTest)
    func authentication(backend: ServerBackend) async throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        let engagement = try server.createEngagement("Auth")
        let other = try server.createEngagement("Other")
        let (health, body) = try await server.request("GET", "/v1/health", token: nil)
        #expect(health == 200 && String(decoding: body, as: UTF8.self).contains("ok"))
        #expect(try await server.request("GET", "/v1/engagements/\(engagement)/vector", token: nil).status == 401)
        let foreign = try server.token(for: "Eve", engagement: other).secret
        let (forbidden, message) = try await server.request("GET", "/v1/engagements/\(engagement)/vector", token: foreign)
        #expect(forbidden == 403)
        #expect(String(decoding: message, as: UTF8.self).contains("\"error\""))
        #expect(try await server.request("GET", "/v1/engagements/nope/vector", token: foreign).status == 404)
    }

    @Test("wrong, revoked and foreign tokens exit 5 and change nothing on the server", arguments: ServerBackend.underTest)
    func refusedTokens(backend: ServerBackend) async throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        let engagement = try server.createEngagement("Tokens")
        let other = try server.createEngagement("Other")
        let good = try server.token(for: "Ana", engagement: engagement)
        let laptop = try Laptop()
        #expect(try laptop.run("clone", server.url, "--engagement", engagement, "--token", good.secret, "--assessor", "Ana").status == 0)
        try laptop.run("assess", "GV-1.1", "--result", "compliant")
        let before = try await server.vector(engagement, token: good.secret)

        #expect(try laptop.run("remote", "add", "wrong", server.url, "--token", "fbt_not-a-real-token").status == 0)
        let wrong = try laptop.run("sync", "wrong")
        #expect(wrong.status == 5 && wrong.stderr.contains("refused"), "\(wrong.stderr)")

        let foreign = try server.token(for: "Ana", engagement: other).secret
        #expect(try laptop.run("remote", "add", "foreign", server.url, "--token", foreign).status == 0)
        #expect(try laptop.run("sync", "foreign").status == 5)

        #expect(try server.admin(["token", "revoke", good.id]).status == 0)
        let revoked = try laptop.run("sync")
        #expect(revoked.status == 5 && revoked.stderr.contains("revoked"), "\(revoked.stderr)")
        let fresh = try server.token(for: "Ana", engagement: engagement).secret
        #expect(try await server.vector(engagement, token: fresh) == before)
        let list = try server.admin(["token", "list"])
        #expect(list.stdout.contains("revoked") && !list.stdout.contains(good.secret))
    }

    @Test("an engagement the server does not hold exits 3; an unreachable server exits 4", arguments: ServerBackend.underTest)
    func unknownEngagementAndUnreachable(backend: ServerBackend) throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        let engagement = try server.createEngagement("Known")
        let token = try server.token(for: "Ana", engagement: engagement).secret
        let laptop = try Laptop()
        #expect(try laptop.run("init", "--engagement", "Offline one", "--assessor", "Ana", "--id", "never-published").status == 0)
        #expect(try laptop.run("remote", "add", "origin", server.url, "--token", token).status == 0)
        let unknown = try laptop.run("sync")
        #expect(unknown.status == 3, "\(unknown.stderr)")
        #expect(unknown.stderr.contains("never-published"))
        // Published under its own id, the offline engagement syncs.
        #expect(try server.createEngagement("Offline one", id: "never-published") == "never-published")
        let own = try server.token(for: "Ana", engagement: "never-published").secret
        #expect(try laptop.run("remote", "add", "published", server.url, "--token", own).status == 0)
        #expect(try laptop.run("sync", "published").status == 0)

        server.stop()
        let down = try laptop.run("sync", "published")
        #expect(down.status == 4 && down.stderr.contains("cannot be reached"), "\(down.stderr)")
    }

    @Test("malformed bodies, oversized bodies, bad hashes and future changes are refused and nothing is stored", arguments: ServerBackend.underTest)
    func hostileRequests(backend: ServerBackend) async throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        let engagement = try server.createEngagement("Hostile")
        let token = try server.token(for: "Ana", engagement: engagement).secret
        let base = "/v1/engagements/\(engagement)"

        let malformed = try await server.request("POST", "\(base)/pull", token: token, body: Data("{not json".utf8), contentType: "application/json")
        #expect(malformed.status == 400)
        #expect((try? JSONDecoder().decode(ErrorResponse.self, from: malformed.body)) != nil)
        #expect(try await server.request("POST", "\(base)/changes", token: token, body: Data("garbage".utf8)).status == 400)

        let huge = Data(repeating: 0x41, count: Wire.maximumBatchBytes + 1024)
        #expect(try await server.request("POST", "\(base)/changes", token: token, body: huge).status == 413)

        let contents = Data("the real evidence".utf8)
        let wrongHash = String(repeating: "ab", count: 32)
        #expect(try await server.request("PUT", "\(base)/blobs/\(wrongHash)", token: token, body: contents).status == 422)
        #expect(try await server.request("HEAD", "\(base)/blobs/\(wrongHash)", token: token).status == 404)
        #expect(try await server.request("PUT", "\(base)/blobs/..%2F..%2Fetc%2Fpasswd", token: token, body: contents).status == 400)

        let ana = ChangeSigner()
        let site = ana.site
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        let future = ana.sign(Change(dot: Dot(site: site, counter: 1), hlc: HLCTimestamp(wall: now + 86_400_000, logical: 0), author: "Ana",
                            entity: EntityID("r-1")!, kind: .risk, field: "title", value: .text("From tomorrow")))
        let skewed = try await server.request("POST", "\(base)/changes", token: token, body: ChangeBatch([future]).encoded())
        #expect(skewed.status == 422)
        #expect(String(decoding: skewed.body, as: UTF8.self).contains("ahead"))
        // The two 422s are told apart by their codes, which the client branches on.
        #expect(try JSONDecoder().decode(ErrorResponse.self, from: skewed.body).error.wireCode == .changesAhead)
        let invalid = ana.sign(Change(dot: Dot(site: site, counter: 1), hlc: HLCTimestamp(wall: now, logical: 0), author: "Ana",
                             entity: EntityID("r-1")!, kind: .risk, field: "likelihood", value: .integer(42)))
        let refused = try await server.request("POST", "\(base)/changes", token: token, body: ChangeBatch([invalid]).encoded())
        #expect(refused.status == 422)
        #expect(try JSONDecoder().decode(ErrorResponse.self, from: refused.body).error.wireCode == .invalidChanges)
        #expect(try await server.vector(engagement, token: token).count == 0)
        #expect(try await server.request("GET", "/v1/engagements/\(engagement)/blobs/\(wrongHash)", token: token).status == 404)
    }

    @Test("a laptop whose clock ran hours ahead keeps its edit, still receives colleagues' work, and is told when the server will take it", arguments: ServerBackend.underTest)
    func clockAhead(backend: ServerBackend) throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        let engagement = try server.createEngagement("Clocks")
        let ana = try Laptop(), ben = try Laptop(), cy = try Laptop()
        for (laptop, name) in [(ana, "Ana"), (ben, "Ben"), (cy, "Cy")] {
            let token = try server.token(for: name, engagement: engagement).secret
            #expect(try laptop.run("clone", server.url, "--engagement", engagement, "--token", token, "--assessor", name).status == 0)
        }
        let threeHoursAhead = ["FIELDBOOK_NOW_MS": String(UInt64(Date().timeIntervalSince1970 * 1000) + 3 * 3_600_000)]
        #expect(try ana.run(["risk", "add", "Stamped in the future", "--likelihood", "2", "--impact", "2"], environment: threeHoursAhead).status == 0)
        #expect(try ben.run("risk", "add", "Ben's risk", "--likelihood", "1", "--impact", "1").status == 0)
        #expect(try ben.run("sync").status == 0)

        // Ana's clock is corrected; her change keeps its stamp, so the server still refuses it.
        let refused = try ana.run("sync")
        #expect(refused.status == 3, "\(refused.stderr)")
        #expect(refused.stderr.contains("ahead of this machine's clock") && refused.stderr.contains("kept here"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1)
        let titles = try #require(try ana.json("risk", "list", "--json")["risks"] as? [[String: Any]]).compactMap { $0["title"] as? String }
        #expect(Set(titles) == ["Stamped in the future", "Ben's risk"])

        // Cy's clock is three hours behind: Ben's change looks three hours ahead to it, so Cy
        // cannot take it (exit 3), and the sentence does not blame Ben's clock alone.
        let behind = try cy.run(["sync"], environment: ["FIELDBOOK_NOW_MS": String(UInt64(Date().timeIntervalSince1970 * 1000) - 3 * 3_600_000)])
        #expect(behind.status == 3, "\(behind.stderr)")
        #expect(behind.stderr.contains("the receiver's is behind"), "\(behind.stderr)")
        #expect(try cy.run("sync").status == 0)
    }

    @Test("a request whose body stops coming is closed after the idle timeout, and the server still serves", arguments: ServerBackend.underTest)
    func stalledBody(backend: ServerBackend) async throws {
        let server = try ServerProcess(backend, arguments: ["--idle-timeout", "2"])
        defer { withExtendedLifetime(server) {} }
        let engagement = try server.createEngagement("Stalls")
        let token = try server.token(for: "Ana", engagement: engagement).secret
        // A valid token, so the push handler is reading the body when it stops coming.
        let stalled = try RawHTTP.stall(port: server.port, method: "POST", target: "/v1/engagements/\(engagement)/changes",
                                        headers: ["Authorization": "Bearer \(token)", "Content-Type": Wire.changesMediaType],
                                        declaredLength: 1_000, sent: 10, timeout: 30)
        #expect(stalled.seconds >= 1.5 && stalled.seconds < 20, "closed after \(stalled.seconds) s")
        let answer = String(decoding: stalled.answer, as: UTF8.self)
        #expect(!answer.contains(" 401 ") && !answer.contains(" 200 "), "the request was answered instead of stalling: \(answer.prefix(200))")
        #expect(try await server.vector(engagement, token: token).count == 0)
        let health = try RawHTTP.send(port: server.port, method: "GET", target: Array("/v1/health".utf8), timeout: 10)
        #expect(health.status == 200)
        let refused = try ChildProcess.run(ServerProcess.binary("fieldbook-server"),
                                           ["serve", "--port", "0", "--database", server.database, "--idle-timeout", "0"])
        #expect(refused.status == 1 && refused.stderr.contains("--idle-timeout"), "\(refused.stderr)")
    }

    @Test("admin commands refuse bad input with their exit codes", arguments: ServerBackend.underTest)
    func adminRefusals(backend: ServerBackend) throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        #expect(try server.admin(["token", "create", "--assessor", "Ana", "--engagement", "missing"]).status == 2)
        #expect(try server.admin(["token", "revoke", "nope"]).status == 2)
        let id = try server.createEngagement("Dup", id: "dup")
        #expect(id == "dup")
        #expect(try server.admin(["engagement", "create", "Again", "--id", "dup"]).status == 3)
        #expect(try server.admin(["engagement", "create", "Bad", "--id", "../x"]).status == 1)
    }

    @Test("a database written by a newer release is refused alike on both backends: exit 3, one sentence", arguments: ServerBackend.underTest)
    func newerDatabase(backend: ServerBackend) throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        switch backend {
        case .sqlite:
            let marked = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
                import sqlite3, sys
                db = sqlite3.connect(sys.argv[1]); db.execute("INSERT INTO grdb_migrations VALUES ('v99-future')"); db.commit()
                """, server.database])
            #expect(marked.status == 0, "\(marked.stderr)")
        case .postgres:
            try server.store.sql("INSERT INTO fieldbook_schema (version) VALUES (99)")
        }
        let refused = try server.admin(["engagement", "create", "After the upgrade"])
        #expect(refused.status == 3, "\(refused.stderr)")
        #expect(refused.stderr.contains("written by a newer fieldbook-server; update it."), "\(refused.stderr)")
    }
}

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

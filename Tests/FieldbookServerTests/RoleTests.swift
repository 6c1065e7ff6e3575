import Crypto
import FieldbookReplica
import FieldbookTestSupport
import FieldbookWire
import Foundation
import Testing

/// Token roles and expiry on the real binaries, on each backend: a reviewer reads everything
/// and writes nothing, and its sync keeps its own edits here while still pulling; an expired
/// token is refused with when; `token list` shows both.
@Suite(.serialized)
struct RoleTests {
    static func message(_ body: Data) -> String {
        (try? JSONDecoder().decode(ErrorResponse.self, from: body))?.error.message ?? String(decoding: body, as: UTF8.self)
    }

    @Test("a reviewer pulls and downloads evidence; its push is refused, its edits stay here, and the sync exits 5 after pulling",
          arguments: ServerBackend.underTest)
    func reviewerSync(backend: ServerBackend) async throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        let engagement = try server.createEngagement("Acme credit model")
        let ana = try Laptop(), rex = try Laptop()
        let anaToken = try server.token(for: "Ana Ruiz", engagement: engagement).secret
        #expect(try ana.run("clone", server.url, "--engagement", engagement, "--token", anaToken, "--assessor", "Ana Ruiz").status == 0)
        #expect(try ana.run("assess", "GV-1.1", "--result", "partially-compliant").status == 0)
        let report = ana.folder.appendingPathComponent("report.txt")
        try Data("validation report".utf8).write(to: report)
        #expect(try ana.run("evidence", "add", report.path, "--requirement", "GV-1.1").status == 0)
        #expect(try ana.run("sync").status == 0)

        // The reviewer clones: everything comes, evidence included.
        let reviewer = try server.token(for: "Rex Quality", engagement: engagement, role: "reviewer")
        let clone = try rex.run("clone", server.url, "--engagement", engagement, "--token", reviewer.secret, "--assessor", "Rex Quality")
        #expect(clone.status == 0, "\(clone.stderr)")
        #expect(try rex.export() == ana.export())
        let verified = try rex.json("evidence", "verify", "--json")
        #expect(verified["intact"] as? Int == 1)

        // Rex writes here (a result and a new evidence file) while Ana goes on.
        #expect(try rex.run("assess", "MP-1.1", "--result", "non-compliant", "--note", "Reviewer's own view").status == 0)
        let note = rex.folder.appendingPathComponent("review.txt")
        try Data("review notes".utf8).write(to: note)
        #expect(try rex.run("evidence", "add", note.path, "--requirement", "MP-1.1").status == 0)
        #expect(try ana.run("risk", "add", "Drift in approvals", "--likelihood", "3", "--impact", "4").status == 0)
        #expect(try ana.run("sync").status == 0)
        let serverBefore = try await server.vector(engagement, token: anaToken)
        let rexBefore = try rex.json("status", "--json")["changes"] as? Int

        for attempt in 1...2 {
            let sync = try rex.run("sync")
            #expect(sync.status == 5, "attempt \(attempt): \(sync.stdout) \(sync.stderr)")
            #expect(sync.stderr.contains("reviewer's, which cannot push"), "\(sync.stderr)")
            #expect(sync.stderr.contains("local changes stay here"), "\(sync.stderr)")
            // Ana's risk comes the first time (a risk is a few changes), nothing the second.
            #expect(sync.stderr.contains("Pulled 0 changes;") == (attempt == 2), "\(sync.stderr)")
            #expect(HostileInput.notOneSentence(sync.stderr.replacingOccurrences(of: "Error: ", with: "").trimmingCharacters(in: .whitespacesAndNewlines)) == nil,
                    "\(sync.stderr)")
        }
        // Pulled: Ana's risk is here; kept: Rex's result and file are still here, and not on the server.
        #expect(try rex.export().contains("Drift in approvals"))
        #expect(try rex.export().contains("Reviewer's own view"))
        #expect(FileManager.default.fileExists(atPath: note.path))
        #expect(try rex.json("evidence", "verify", "--json")["intact"] as? Int == 2)
        let rexAfter = try rex.json("status", "--json")["changes"] as? Int
        #expect((rexAfter ?? 0) > (rexBefore ?? 0))
        #expect(try await server.vector(engagement, token: anaToken) == serverBefore)
        #expect(try !ana.run("sync").stdout.isEmpty)
        #expect(try !ana.export().contains("Reviewer's own view"))
        let sha = Self.sha256(Data("review notes".utf8))
        #expect(try await server.request("HEAD", "/v1/engagements/\(engagement)/blobs/\(sha)", token: anaToken).status == 404)
    }

    @Test("a reviewer's token reads every route and is refused 403 with one sentence on push and upload", arguments: ServerBackend.underTest)
    func reviewerRoutes(backend: ServerBackend) async throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        let engagement = try server.createEngagement("Routes")
        let assessor = try server.token(for: "Ana", engagement: engagement).secret
        let reviewer = try server.token(for: "Auditor", engagement: engagement, role: "reviewer").secret
        let admin = try server.token(for: "Lead", engagement: engagement, role: "admin").secret
        let base = "/v1/engagements/\(engagement)"
        let contents = Data("evidence bytes".utf8)
        let sha = Self.sha256(contents)
        #expect(try await server.request("PUT", "\(base)/blobs/\(sha)", token: assessor, body: contents).status == 201)

        let (infoStatus, info) = try await server.request("GET", base, token: reviewer)
        #expect(infoStatus == 200)
        #expect(try JSONDecoder().decode(EngagementInfo.self, from: info).role == .reviewer)
        #expect(try JSONDecoder().decode(EngagementInfo.self, from: await server.request("GET", base, token: assessor).body).role == .assessor)
        #expect(try JSONDecoder().decode(EngagementInfo.self, from: await server.request("GET", base, token: admin).body).role == .admin)
        #expect(try await server.request("GET", "\(base)/vector", token: reviewer).status == 200)
        let pull = try await server.request("POST", "\(base)/pull", token: reviewer, body: try JSONEncoder().encode(PullRequest(vector: VersionVector())),
                                            contentType: "application/json")
        #expect(pull.status == 200)
        #expect(try await server.request("HEAD", "\(base)/blobs/\(sha)", token: reviewer).status == 200)
        let download = try await server.request("GET", "\(base)/blobs/\(sha)", token: reviewer)
        #expect(download.status == 200 && download.body == contents)

        let other = Data("reviewer's file".utf8)
        for (method, path, body) in [("POST", "\(base)/changes", ChangeBatch([]).encoded()), ("PUT", "\(base)/blobs/\(Self.sha256(other))", other)] {
            let (status, answer) = try await server.request(method, path, token: reviewer, body: body)
            #expect(status == 403, "\(method) \(path)")
            let sentence = Self.message(answer)
            #expect(sentence.contains("reviewer's") && sentence.contains("assessor token"), "\(sentence)")
            #expect(HostileInput.notOneSentence(sentence) == nil, "\(sentence)")
        }
        #expect(try await server.request("HEAD", "\(base)/blobs/\(Self.sha256(other))", token: assessor).status == 404)
        // An admin writes as an assessor does (nothing more on /v1 today).
        #expect(try await server.request("PUT", "\(base)/blobs/\(Self.sha256(other))", token: admin, body: other).status == 201)
    }

    @Test("an expired token is refused 401 saying when it expired; the CLI exits 5", arguments: ServerBackend.underTest)
    func expiredToken(backend: ServerBackend) async throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        let engagement = try server.createEngagement("Expiry")
        let soon = Date().addingTimeInterval(3)
        let expires = ISO8601DateFormatter().string(from: soon)
        let token = try server.token(for: "Ana", engagement: engagement, role: "assessor", expires: expires)
        let laptop = try Laptop()
        #expect(try laptop.run("clone", server.url, "--engagement", engagement, "--token", token.secret, "--assessor", "Ana").status == 0)
        while Date() <= soon.addingTimeInterval(0.2) { try await Task.sleep(nanoseconds: 100_000_000) }
        let (status, body) = try await server.request("GET", "/v1/engagements/\(engagement)/vector", token: token.secret)
        #expect(status == 401)
        let sentence = Self.message(body)
        #expect(sentence.contains("expired at \(ISO8601DateFormatter().string(from: soon))"), "\(sentence)")
        #expect(HostileInput.notOneSentence(sentence) == nil, "\(sentence)")
        let sync = try laptop.run("sync")
        #expect(sync.status == 5)
        #expect(sync.stderr.contains("expired"), "\(sync.stderr)")
        let list = try server.admin(["token", "list"])
        #expect(list.stdout.contains("\(token.id)  Ana  \(engagement)  assessor  created "), "\(list.stdout)")
        #expect(list.stdout.contains("expired \(expires)"), "\(list.stdout)")
    }

    @Test("token list shows role and expiry; a past or unreadable --expires is refused with a sentence", arguments: ServerBackend.underTest)
    func tokenList(backend: ServerBackend) throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        let engagement = try server.createEngagement("Listing")
        let plain = try server.token(for: "Ana", engagement: engagement)
        let reviewer = try server.token(for: "Client Contact", engagement: engagement, role: "reviewer", expires: "2099-03-31")
        let admin = try server.token(for: "Lead", engagement: engagement, role: "admin", expires: "2099-01-01T09:30:00+01:00")
        let text = try server.admin(["token", "list"])
        #expect(text.status == 0)
        let lines = text.stdout.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("\(plain.id)  Ana  \(engagement)  assessor  created ") && !$0.contains("expires") }, "\(text.stdout)")
        #expect(lines.contains { $0.hasPrefix("\(reviewer.id)  Client Contact  \(engagement)  reviewer  created ") && $0.hasSuffix("expires 2099-03-31T00:00:00Z") },
                "\(text.stdout)")
        #expect(lines.contains { $0.hasPrefix("\(admin.id)  Lead") && $0.contains("  admin  ") && $0.hasSuffix("expires 2099-01-01T08:30:00Z") }, "\(text.stdout)")
        let json = try server.admin(["token", "list", "--json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: [[String: Any]]])
        let byID = Dictionary(uniqueKeysWithValues: (document["tokens"] ?? []).map { ($0["id"] as? String ?? "", $0) })
        #expect(byID[plain.id]?["role"] as? String == "assessor" && byID[plain.id]?["expires"] == nil)
        #expect(byID[reviewer.id]?["role"] as? String == "reviewer" && byID[reviewer.id]?["expires"] as? String == "2099-03-31T00:00:00Z")
        #expect(byID[admin.id]?["role"] as? String == "admin")

        for (expires, says) in [("2020-01-01", "is in the past"), ("next tuesday", "YYYY-MM-DD"), ("2027-02-30", "YYYY-MM-DD")] {
            let refused = try server.admin(["token", "create", "--assessor", "Ana", "--engagement", engagement, "--expires", expires])
            #expect(refused.status == 1, "\(expires)")
            #expect(refused.stderr.contains(says), "\(refused.stderr)")
            #expect(refused.stdout.isEmpty)
        }
        #expect(try server.admin(["token", "create", "--assessor", "Ana", "--engagement", engagement, "--role", "owner"]).status != 0)
        let after = try server.admin(["token", "list", "--json"])
        #expect((try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [String: [Any]])?["tokens"]?.count == 3)
    }

    @Test("ten bad tokens from one client within a minute: 429 with Retry-After for it, no one else", arguments: ServerBackend.underTest)
    func badTokensSlowedDown(backend: ServerBackend) async throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        let engagement = try server.createEngagement("Guessing")
        let valid = try server.token(for: "Ana", engagement: engagement).secret
        let target = Array("/v1/engagements/\(engagement)/vector".utf8)
        // Through a reverse proxy on the server's host, which names the client it serves.
        func send(_ token: String, from client: String?) throws -> RawHTTP.Response {
            var headers = [("Authorization", Array("Bearer \(token)".utf8))]
            if let client { headers.append(("X-Forwarded-For", Array("198.51.100.1, \(client)".utf8))) }
            return try RawHTTP.send(port: server.port, method: "GET", target: target, headers: headers)
        }
        for attempt in 1...10 {
            #expect(try send("fbt_guess\(attempt)", from: "203.0.113.7").status == 401, "attempt \(attempt)")
        }
        let slowed = try send("fbt_guess11", from: "203.0.113.7")
        #expect(slowed.status == 429)
        let retry = try #require(slowed.header("Retry-After").flatMap(Int.init))
        #expect((1...60).contains(retry))
        let sentence = Self.message(slowed.body)
        #expect(sentence.contains("wait \(retry) seconds"), "\(sentence)")
        #expect(HostileInput.notOneSentence(sentence) == nil, "\(sentence)")
        // While slowed down, a good token from that address still passes (people behind one NAT
        // or balancer share it); its bad tokens keep waiting; other clients are not slowed.
        #expect(try send(valid, from: "203.0.113.7").status == 200)
        #expect(try send("fbt_guess12", from: "203.0.113.7").status == 429)
        #expect(try send(valid, from: "203.0.113.8").status == 200)
        #expect(try send("fbt_other", from: "203.0.113.8").status == 401)
        // Processes on the server's own host are never slowed down (the tests and the fault campaign run there).
        for attempt in 1...12 { #expect(try send("fbt_local\(attempt)", from: nil).status == 401) }
        #expect(try send(valid, from: nil).status == 200)
    }

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

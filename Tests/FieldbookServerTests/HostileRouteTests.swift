import FieldbookReplica
import FieldbookTestSupport
import FieldbookWire
import Foundation
import Testing

/// Every fixture of `Fixtures/hostile/server/` against a real `fieldbook-server` on each
/// backend: the documented status, a `{"error":{"message"}}` body of one sentence, the server
/// still up, and nothing changed (each engagement's whole log, its vector, and every file the
/// server keeps: evidence, scratch, anything written outside the objects folder).
@Suite(.serialized, .hostileServers)
struct HostileRouteTests {
    static let fixtures = HostileServerFixture.all()

    @Test("each hostile request gets its documented status and one clear sentence, and changes nothing",
          arguments: ServerBackend.underTest, fixtures)
    func hostileRequest(backend: ServerBackend, fixture: HostileServerFixture) async throws {
        let harness = try await HostileServers.harness(for: backend)
        let problems = try await harness.run(fixture)
        if let known = fixture.known_issue {
            withKnownIssue(Comment(rawValue: known)) {
                for problem in problems { Issue.record(Comment(rawValue: "\(fixture.name): \(problem)")) }
            }
        } else {
            for problem in problems { Issue.record(Comment(rawValue: "\(fixture.name) (\(fixture.description)): \(problem)")) }
        }
    }

    /// Every route of docs/api.md has hostile cases; a new route without them fails here.
    @Test("every route in docs/api.md is covered by at least three hostile fixtures")
    func everyRouteCovered() throws {
        let api = try String(contentsOf: HostileServerFixture.folder.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/api.md"), encoding: .utf8)
        var routes: [(method: String, path: String)] = []
        for line in api.split(separator: "\n") where line.hasPrefix("| `") {
            let cell = line.dropFirst(3).prefix { $0 != "`" }
            let parts = cell.split(separator: " ")
            guard parts.count == 2, ["GET", "HEAD", "POST", "PUT"].contains(parts[0]) else { continue }
            routes.append((String(parts[0]), String(parts[1])))
        }
        #expect(routes.count >= 8, "docs/api.md lists \(routes.count) routes")
        for route in routes {
            let pattern = route.path.replacingOccurrences(of: "{id}", with: "{engagement}")
            let covering = Self.fixtures.filter { fixture in
                guard fixture.method == route.method else { return false }
                if pattern.hasSuffix("{sha256}") { return fixture.path.hasPrefix(String(pattern.dropLast("{sha256}".count))) }
                if !pattern.hasPrefix("/v1/engagements/") { return fixture.path.hasPrefix(pattern) }
                return fixture.path.hasPrefix("/v1/engagements/") && Self.tail(fixture.path) == Self.tail(pattern)
            }
            #expect(covering.count >= 3, "\(route.method) \(route.path) has \(covering.count) hostile fixtures")
        }
    }

    /// The part of an engagement route after the engagement: "", "/vector", "/changes", ...
    static func tail(_ path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count > 4 ? "/" + parts[4...].joined(separator: "/") : ""
    }
}

/// The servers of the suite, one per backend, made on first use and stopped when the suite ends.
struct HostileServersTrait: SuiteTrait, TestScoping {
    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let servers = HostileServers()
        try await HostileServers.$current.withValue(servers) { try await function() }
        let (requests, cases) = await servers.stopAll()
        print("HostileRouteTests: \(requests) hostile requests tried (\(cases) fixture runs over \(HostileServerFixture.all().count) fixtures x \(ServerBackend.underTest.map(\.rawValue).joined(separator: ", ")))")
    }
}

extension Trait where Self == HostileServersTrait {
    static var hostileServers: Self { Self() }
}

actor HostileServers {
    @TaskLocal static var current: HostileServers?
    private var harnesses: [ServerBackend: HostileServerHarness] = [:]

    static func harness(for backend: ServerBackend) async throws -> HostileServerHarness {
        guard let current else { throw RawHTTP.Failure(description: "HostileRouteTests runs inside its suite's scope") }
        return try await current.harness(for: backend)
    }

    func harness(for backend: ServerBackend) async throws -> HostileServerHarness {
        if let harness = harnesses[backend] { return harness }
        let harness = try await HostileServerHarness(backend)
        harnesses[backend] = harness
        return harness
    }

    func stopAll() -> (requests: Int, cases: Int) {
        let totals = harnesses.values.reduce((0, 0)) { ($0.0 + $1.requests, $0.1 + $1.cases) }
        for harness in harnesses.values { harness.server.stop() }
        harnesses = [:]
        return totals
    }
}

/// One server with a seeded engagement (a result, a risk and an evidence file, pushed by the
/// real client), another engagement, and tokens of every kind a fixture may name.
final class HostileServerHarness: @unchecked Sendable {
    let backend: ServerBackend
    private(set) var server: ServerProcess
    let engagement: String
    let otherEngagement: String
    var tokens: [String: String] = [:]
    let blobSHA: String
    /// The binary batch the server returns for the whole seeded engagement.
    let pulledBatch: Data
    /// A dot and a risk entity of the seeded engagement, for cases that must name them.
    let seededDot: String
    let seededRisk: String
    private let laptop: Laptop
    private(set) var requests = 0
    private(set) var cases = 0

    init(_ backend: ServerBackend) async throws {
        self.backend = backend
        server = try ServerProcess(backend)
        engagement = try server.createEngagement("Hostile shared")
        otherEngagement = try server.createEngagement("Hostile other")
        let valid = try server.token(for: "Ana", engagement: engagement)
        tokens["valid"] = valid.secret
        tokens["other-engagement"] = try server.token(for: "Eve", engagement: otherEngagement).secret
        let revoked = try server.token(for: "Mallory", engagement: engagement)
        #expect(try server.admin(["token", "revoke", revoked.id]).status == 0)
        tokens["revoked"] = revoked.secret
        tokens["garbage"] = "fbt_" + String(repeating: "0", count: 64)
        // An engagement whose id is a path step, if the admin command lets one be made.
        if try server.admin(["engagement", "create", "Dot dot", "--id", ".."]).status == 0 {
            tokens["dotdot-engagement"] = try server.token(for: "Ana", engagement: "..").secret
        }

        laptop = try Laptop()
        #expect(try laptop.run("clone", server.url, "--engagement", engagement, "--token", valid.secret, "--assessor", "Ana").status == 0)
        #expect(try laptop.run("assess", "GV-1.1", "--result", "partially-compliant", "--maturity", "2").status == 0)
        #expect(try laptop.run("risk", "add", "Hostile input", "--likelihood", "3", "--impact", "4", "--requirement", "MS-2.7").status == 0)
        let evidence = laptop.folder.appendingPathComponent("evidence.txt")
        try Data("Seeded evidence for the hostile-input campaign\n".utf8).write(to: evidence)
        let added = try laptop.run("evidence", "add", evidence.path, "--requirement", "GV-1.1")
        blobSHA = String(added.stdout.split(separator: ":").last ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let synced = try laptop.run("sync")
        #expect(synced.status == 0, "seeding sync failed: \(synced.stderr)")

        let page = try RawHTTP.send(port: server.port, method: "POST", target: Array("/v1/engagements/\(engagement)/pull".utf8),
                                    headers: [("Authorization", Array("Bearer \(valid.secret)".utf8))],
                                    body: Data(#"{"vector":{},"after":0,"limit":5000}"#.utf8))
        let metaLength = Int(page.body.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        pulledBatch = page.body.dropFirst(4 + metaLength)
        #expect(page.status == 200 && !pulledBatch.isEmpty && blobSHA.count == 64, "seeding the engagement failed")
        let seeded = try ChangeBatch.decode(pulledBatch).changes
        seededDot = seeded.first?.dot.description ?? ""
        seededRisk = seeded.first { $0.kind == .risk }?.entity.rawValue ?? ""
    }

    struct Snapshot: Equatable {
        var answers: [String: Data] = [:]
        var files: [String: Int] = [:]
    }

    /// Each engagement's whole log (one pull page) and vector, and every file in the server's
    /// folder except the databases and logs.
    func snapshot(_ engagements: [(id: String, token: String)]) throws -> Snapshot {
        var snapshot = Snapshot()
        for (id, token) in engagements {
            let auth = [("Authorization", Array("Bearer \(token)".utf8))]
            let pull = try RawHTTP.send(port: server.port, method: "POST", target: Array("/v1/engagements/\(id)/pull".utf8),
                                        headers: auth, body: Data(#"{"vector":{},"after":0,"limit":5000}"#.utf8))
            let vector = try RawHTTP.send(port: server.port, method: "GET", target: Array("/v1/engagements/\(id)/vector".utf8), headers: auth)
            snapshot.answers["\(id) pull \(pull.status)"] = pull.body
            snapshot.answers["\(id) vector \(vector.status)"] = vector.body
        }
        let root = server.folder.standardizedFileURL.resolvingSymlinksInPath()
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey])
        while let url = enumerator?.nextObject() as? URL {
            let name = url.lastPathComponent
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                  !name.hasSuffix(".log"), !name.contains(".sqlite") else { continue }
            snapshot.files[url.standardizedFileURL.resolvingSymlinksInPath().path.replacingOccurrences(of: root.path, with: "")] =
                (try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? -1
        }
        return snapshot
    }

    var alive: Bool {
        (try? RawHTTP.send(port: server.port, method: "GET", target: Array("/v1/health".utf8), timeout: 10).status) == 200
    }

    /// Runs one fixture; returns what went wrong, in words.
    func run(_ fixture: HostileServerFixture) async throws -> [String] {
        cases += 1
        guard fixture.expect_status >= 0 else { return [fixture.description] }
        var engagement = self.engagement
        var valid = tokens["valid"]!
        if fixture.engagement == "fresh" {
            engagement = try server.createEngagement("Fresh for \(fixture.name)")
            valid = try server.token(for: "Ana", engagement: engagement).secret
        }
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        let placeholders = Placeholders(values: [
            "engagement": engagement, "other_engagement": otherEngagement, "blob_sha": blobSHA,
            "missing_sha": String(repeating: "0", count: 64), "site": UUID().uuidString.lowercased(),
            "seeded_dot": seededDot, "seeded_risk": seededRisk,
            "now_hlc": String(now << 16), "future_hlc": String((now + 86_400_000) << 16),
        ])
        var headers: [(String, [UInt8])] = []
        switch fixture.token ?? "valid" {
        case "none": break
        case "valid": headers.append(("Authorization", Array("Bearer \(valid)".utf8)))
        case let kind:
            let secret = tokens[kind] ?? (kind == "dotdot-engagement" ? valid : "unknown-token-kind-\(kind)")
            headers.append(("Authorization", Array("Bearer \(secret)".utf8)))
        }
        for (name, value) in (fixture.headers ?? [:]).sorted(by: { $0.key < $1.key }) {
            headers.removeAll { $0.0.lowercased() == name.lowercased() }
            headers.append((name, placeholders.expand(value)))
        }
        let body = try fixture.makeBody(placeholders, pulledBatch: pulledBatch)
        let target = placeholders.expand(fixture.path)
        func send() throws -> RawHTTP.Response {
            requests += 1
            return try RawHTTP.send(port: server.port, method: fixture.method, target: target, headers: headers, body: body)
        }

        var problems: [String] = []
        for attempt in 1..<max(1, fixture.send_times ?? 1) {
            let answer = try send()
            if !(200..<300).contains(answer.status) { problems.append("send \(attempt) of a replay answered \(answer.status)") }
        }
        var watched = [(engagement, valid), (otherEngagement, tokens["other-engagement"]!)]
        if engagement != self.engagement { watched.append((self.engagement, tokens["valid"]!)) }
        let before = try snapshot(watched)

        var answer: RawHTTP.Response?
        do {
            answer = try send()
        } catch {
            problems.append("no answer: \(error)")
        }
        if !alive {
            problems.append("the server died handling this request (its log: \(server.folder.path))")
            server = try ServerProcess(sharing: server.store)
        }
        let after = try snapshot(watched)
        if before != after {
            let files = Set(before.files.keys).symmetricDifference(after.files.keys).union(before.files.keys.filter { before.files[$0] != after.files[$0] })
            let answers = before.answers.keys.filter { before.answers[$0] != after.answers[$0] } + after.answers.keys.filter { before.answers[$0] == nil }
            problems.append("the request changed the server: answers \(answers.sorted()), files \(files.sorted())")
        }
        guard let answer else { return problems }
        let text = String(decoding: answer.body.prefix(300), as: UTF8.self)
        if answer.status != fixture.expect_status {
            problems.append("status \(answer.status), expected \(fixture.expect_status): \(text)")
        }
        let isError = answer.status >= 400
        if isError && fixture.method != "HEAD" && fixture.expect_json_error != false {
            if let error = try? JSONDecoder().decode(ErrorResponse.self, from: answer.body) {
                if let why = HostileInput.notOneSentence(error.error.message) { problems.append("the message \(why): '\(error.error.message)'") }
                // Clients branch on the code, never on the sentence: every error answer has a known one.
                if error.error.wireCode == nil { problems.append("the \(answer.status) answer has no known code: '\(text)'") }
                if let expected = fixture.message_contains, !error.error.message.lowercased().contains(expected.lowercased()) {
                    problems.append("the message does not mention '\(expected)': '\(error.error.message)'")
                }
            } else {
                problems.append("the \(answer.status) answer is not a JSON {\"error\":{\"code\",\"message\"}} body: '\(text)'")
            }
        }
        if let expected = fixture.expect_json {
            let object = try? JSONDecoder().decode([String: JSONValue].self, from: answer.body)
            for (key, value) in expected where object?[key] != value {
                problems.append("the answer's \(key) is \(object?[key]?.description ?? "missing"), expected \(value): \(text)")
            }
        }
        return problems
    }
}

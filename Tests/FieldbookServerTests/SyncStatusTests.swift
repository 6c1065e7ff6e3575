import Foundation
import Testing

/// What a newcomer reads after a sync: a refusal of relayed work that says what was accepted,
/// and a status that names each remote, its URL and its last sync.
@Suite(.serialized)
struct SyncStatusTests {
    /// Ana's workspace holds her own work and Ben's (by bundle); the server has Ana's token only.
    static func anaHoldingBensWork(_ server: ServerProcess, engagementName: String) throws -> (ana: Laptop, ben: Laptop, engagement: String) {
        let ana = try Laptop(), ben = try Laptop()
        #expect(try ana.run("init", "--engagement", engagementName, "--assessor", "Ana Ruiz").status == 0)
        #expect(try ana.run("risk", "add", "Unfair outcomes", "--likelihood", "4", "--impact", "5").status == 0)
        #expect(try ana.run("assess", "A.6.2.4", "--result", "partially-compliant").status == 0)
        let fromAna = ana.folder.appendingPathComponent("ana.fbbundle"), fromBen = ben.folder.appendingPathComponent("ben.fbbundle")
        #expect(try ana.run("bundle", "export", "-o", fromAna.path).status == 0)
        #expect(try ben.run("clone", fromAna.path, "--assessor", "Ben Okafor").status == 0)
        #expect(try ben.run("assess", "A.6.2.4", "--result", "non-compliant").status == 0)
        #expect(try ben.run("bundle", "export", "-o", fromBen.path).status == 0)
        #expect(try ana.run("bundle", "import", fromBen.path).status == 0)
        let engagement = try #require(try ana.run("status", "--field", "engagement").stdout.split(separator: "\n").first.map(String.init))
        _ = try server.createEngagement(engagementName, id: engagement)
        return (ana, ben, engagement)
    }

    @Test("a refusal of a colleague's relayed work says Ana's own changes were accepted and what to do", arguments: ServerBackend.underTest)
    func relayedWorkHeldBack(backend: ServerBackend) throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        let (ana, ben, engagement) = try Self.anaHoldingBensWork(server, engagementName: "Acme Credit AI review")
        let anaToken = try server.token(for: "Ana Ruiz", engagement: engagement).secret
        #expect(try ana.run("remote", "add", "origin", server.url, "--token", anaToken).status == 0)
        let own = try #require(try ana.json("status", "--json")["own_changes"] as? Int)

        let refused = try ana.run("sync")
        #expect(refused.status == 5, "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("Your own changes were accepted (the server holds all \(own) of them)"), "\(refused.stderr)")
        #expect(refused.stderr.contains(" by Ben Okafor, relayed through this workspace, ") && refused.stderr.contains("held back"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--assessor \"Ben Okafor\" --engagement \(engagement) --public-key KEY"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("nothing was accepted"), "\(refused.stderr)")

        // True: a fresh clone from the server holds Ana's own work.
        let fresh = try Laptop()
        #expect(try fresh.run("clone", server.url, "--engagement", engagement, "--token", anaToken, "--assessor", "Ana Ruiz").status == 0)
        let risks = try #require(try fresh.json("risk", "list", "--json")["risks"] as? [[String: Any]])
        #expect(risks.map { $0["title"] as? String } == ["Unfair outcomes"])

        // Binding Ben's key, as the message says, lets the relayed work through.
        let key = try ben.run("status", "--field", "public-key").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try server.admin(["token", "create", "--assessor", "Ben Okafor", "--engagement", engagement, "--public-key", key]).status == 0)
        let relayed = try ana.run("sync")
        #expect(relayed.status == 0, "\(relayed.stderr)")
    }

    @Test("status names each remote with its URL and last sync, in text and JSON", arguments: [ServerBackend.sqlite])
    func remotesAndLastSync(backend: ServerBackend) throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        let ana = try Laptop()
        #expect(try ana.run("init", "--engagement", "Remotes", "--assessor", "Ana Ruiz").status == 0)
        let before = try ana.json("status", "--json")
        #expect((before["remotes"] as? [Any])?.isEmpty == true && before["last_sync"] == nil)
        let engagement = try ana.run("status", "--field", "engagement").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try server.createEngagement("Remotes", id: engagement)
        let token = try server.token(for: "Ana Ruiz", engagement: engagement).secret
        #expect(try ana.run("remote", "add", "origin", server.url, "--token", token).status == 0)
        #expect(try ana.run("remote", "add", "backup", "http://127.0.0.1:9", "--token", "unused").status == 0)
        #expect(try ana.run("risk", "add", "Drift", "--likelihood", "2", "--impact", "2").status == 0)
        let started = Date()
        #expect(try ana.run("sync", "origin").status == 0)

        let status = try ana.json("status", "--json")
        let remotes = try #require(status["remotes"] as? [[String: Any]])
        #expect(remotes.map { $0["name"] as? String } == ["backup", "origin"])
        #expect(remotes.map { $0["url"] as? String } == ["http://127.0.0.1:9", server.url])
        #expect(remotes[0]["last_sync"] == nil)
        let synced = try #require(remotes[1]["last_sync"] as? String)
        let when = try #require(ISO8601DateFormatter.withFractionalSeconds.date(from: synced), "not RFC 3339: \(synced)")
        #expect(when >= started.addingTimeInterval(-1) && when <= Date().addingTimeInterval(1))
        #expect(remotes[1]["server_lacks"] as? Int == 0)
        #expect(status["last_sync"] as? String == synced)

        let text = try ana.run("status").stdout
        #expect(text.contains("Remote      origin \(server.url): last sync \(synced), it held everything here"), "\(text)")
        #expect(text.contains("Remote      backup http://127.0.0.1:9: last sync never"), "\(text)")
        #expect(!text.contains("server:"), "the server shows as a URL, not as a site: \(text)")
    }
}

extension ISO8601DateFormatter {
    static var withFractionalSeconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}

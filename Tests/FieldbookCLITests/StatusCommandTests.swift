import Foundation
import Testing

/// `fieldbook status`: the public key an administrator binds, each value alone for scripts,
/// and the remotes it syncs with.
@Suite struct StatusCommandTests {
    @Test("status shows the public key that --json and --field print")
    func publicKeyInText() throws {
        let ws = try CLIWorkspace()
        let status = try ws.run("status", "--json").json
        let key = try #require(status["public_key"] as? String)
        #expect(key.count == 44)
        let text = try ws.run("status")
        #expect(text.status == 0 && text.stdout.contains("Public key  \(key)"), "\(text.stdout)")
        #expect(try ws.run("status", "--field", "public-key").stdout == key + "\n")
        let engagement = try #require((status["engagement"] as? [String: Any])?["id"] as? String)
        #expect(try ws.run("status", "--field", "engagement").stdout == engagement + "\n")
        #expect(try ws.run("status", "--field", "site").stdout == (status["site"] as? String ?? "") + "\n")
        #expect(try ws.run("status", "--field", "assessor").stdout == "Ana\n")
    }

    @Test("--field with --json, or an unknown field, is bad input in one sentence")
    func fieldRefusals() throws {
        let ws = try CLIWorkspace()
        try ws.expectRefusal(["status", "--field", "public-key", "--json"], status: 1, mentioning: "--field")
        try ws.expectRefusal(["status", "--field", "password"], status: 1)
        let outcome = try ws.run("status", "--field", "public-key", "--json")
        #expect(outcome.stdout.isEmpty && outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr)")
    }

    @Test("remotes are listed before any sync: name, URL, never synced")
    func remotesBeforeSync() throws {
        let ws = try CLIWorkspace()
        #expect(try ws.run("remote", "add", "origin", "http://127.0.0.1:9", "--token", "t").status == 0)
        let status = try ws.run("status", "--json").json
        let remotes = try #require(status["remotes"] as? [[String: Any]])
        #expect(remotes.count == 1 && remotes[0]["name"] as? String == "origin" && remotes[0]["url"] as? String == "http://127.0.0.1:9")
        // Absent, as every unknown value in this CLI's JSON.
        #expect(remotes[0]["last_sync"] == nil && status["last_sync"] == nil && status["remotes"] != nil)
        #expect(try ws.run("status").stdout.contains("Remote      origin http://127.0.0.1:9: last sync never"))
    }
}

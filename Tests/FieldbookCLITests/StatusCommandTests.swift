import Foundation
import Testing

/// `fieldbook status`: the public key an administrator binds, each value alone for scripts,
/// and counts in words that agree with their number.
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
        #expect(remotes[0]["last_sync"] is NSNull && status["last_sync"] is NSNull)
        #expect(try ws.run("status").stdout.contains("Remote      origin http://127.0.0.1:9: last sync never"))
    }

    @Test("one of a thing is singular: 1 risk, 1 finding, 1 new conflict, 1 assessor")
    func singularCounts() throws {
        let ws = try CLIWorkspace()
        #expect(try ws.run("risk", "add", "Drift", "--likelihood", "2", "--impact", "3").status == 0)
        #expect(try ws.run("finding", "add", "No policy", "--requirement", "5.2").status == 0)
        let text = try ws.run("status").stdout
        #expect(text.contains("Recorded    1 risk, 0 evidence files, 1 finding\n"), "\(text)")
        let verified = try ws.run("log", "--verify").stdout
        #expect(verified.contains(" by 1 assessor:"), "\(verified)")

        // One field edited on both sides: the import reports one new conflict.
        let bundle = ws.folder.appendingPathComponent("ana.fbbundle"), back = ws.folder.appendingPathComponent("ben.fbbundle")
        #expect(try ws.run("assess", "A.6.2.4", "--result", "partially-compliant").status == 0)
        #expect(try ws.run("bundle", "export", "-o", bundle.path).status == 0)
        let ben = FieldbookProcess(workingDirectory: ws.folder)
        let benFolder = ws.folder.appendingPathComponent("ben").path
        #expect(try ben.run(["clone", bundle.path, "--assessor", "Ben", "--workspace", benFolder]).status == 0)
        #expect(try ben.run(["--workspace", benFolder, "assess", "A.6.2.4", "--result", "compliant"]).status == 0)
        #expect(try ben.run(["--workspace", benFolder, "bundle", "export", "-o", back.path]).status == 0)
        #expect(try ws.run("assess", "A.6.2.4", "--result", "non-compliant").status == 0)
        let imported = try ws.run("bundle", "import", back.path)
        #expect(imported.status == 0 && imported.stdout.contains("1 new conflict:"), "\(imported.stdout)")
    }

    @Test("report --help names every report kind it has")
    func reportHelpListsEveryKind() throws {
        let help = try FieldbookProcess().run(["report", "--help"]).stdout
        let overview = try #require(help.split(separator: "\n").first { $0.hasPrefix("OVERVIEW:") })
        let section = try #require(help.components(separatedBy: "SUBCOMMANDS:").last)
        let kinds = section.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { $0.allSatisfy { $0.isLetter || $0 == "-" } && $0 != "See" && $0 != "help" }
        #expect(Set(kinds).isSuperset(of: ["gap", "risks", "soa", "progress"]), "\(kinds)")
        for kind in kinds { #expect(overview.contains(kind), "OVERVIEW does not name '\(kind)': \(overview)") }
    }
}

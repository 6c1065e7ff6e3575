import Crypto
import Foundation
import Testing

/// The offline day through the real binary: init, assess, risks, evidence, findings, log.
struct WorkspaceCommandTests {
    @Test("init makes a workspace that status describes; a second init is refused")
    func initAndStatus() throws {
        let ws = try CLIWorkspace()
        let status = try ws.run("status", "--json").json
        #expect(status["assessor"] as? String == "Ana")
        #expect((status["engagement"] as? [String: Any])?["name"] as? String == "Acme AI audit")
        #expect((status["site"] as? String)?.count == 36)
        #expect(status["conflicts"] as? Int == 0)
        let progress = try #require(status["progress"] as? [[String: Any]])
        #expect(progress.map { $0["requirements"] as? Int } == [72, 70])
        try ws.expectRefusal(["init", "--engagement", "Other", "--assessor", "Ben"], status: 3, mentioning: "already holds")
        let text = try ws.run("status")
        #expect(text.status == 0 && text.stdout.contains("Acme AI audit"))
    }

    @Test("assess records status, maturity and note under the fully qualified id, from any short form")
    func assess() throws {
        let ws = try CLIWorkspace()
        #expect(try ws.run("assess", "gv-1.1", "--result", "compliant", "--maturity", "3", "--note", "Register seen").status == 0)
        let show = try ws.run("show", "GOVERN-1.1", "--json").json
        let result = try #require(show["result"] as? [String: Any])
        #expect(result["status"] as? String == "compliant")
        #expect(result["maturity"] as? Int == 3)
        #expect(result["note"] as? String == "Register seen")
        #expect(result["requirement"] as? String == "nist-ai-rmf:GOVERN-1.1")
        #expect(result["updated_by"] as? String == "Ana")
        #expect(try ws.run("status", "--json").json["progress"].map { ($0 as! [[String: Any]])[0]["assessed"] as? Int } == 1)
    }

    @Test("bad assessment input is refused with the documented code and changes nothing")
    func assessRefusals() throws {
        let ws = try CLIWorkspace()
        try ws.expectRefusal(["assess", "XX-9.9", "--result", "compliant"], status: 2, mentioning: "XX-9.9")
        try ws.expectRefusal(["assess", "GV-1.1", "--result", "done"], status: 1, mentioning: "done")
        try ws.expectRefusal(["assess", "GV-1.1", "--result", "compliant", "--maturity", "6"], status: 1, mentioning: "0 to 5")
        try ws.expectRefusal(["assess", "GOVERN-1", "--result", "compliant"], status: 1, mentioning: "category")
        try ws.expectRefusal(["assess", "M-1.1", "--result", "compliant"], status: 1, mentioning: "could mean")
    }

    @Test("show infers from the other framework through the crosswalk, marked as inferred")
    func showInference() throws {
        let ws = try CLIWorkspace()
        try ws.run("assess", "A.6.2.4", "--result", "compliant")
        let evidence = try ws.file("vv-report.pdf", "V&V report")
        #expect(try ws.run("evidence", "add", evidence.path, "--requirement", "A.6.2.4").status == 0)
        let show = try ws.run("show", "MEASURE-2.1", "--json").json
        let inference = try #require(show["inference"] as? [String: Any])
        #expect(inference["inferred"] as? Bool == true)
        #expect(inference["signal"] as? String == "likely-covered" || inference["signal"] as? String == "partial")
        let related = try #require(inference["related"] as? [[String: Any]])
        #expect(related.contains { $0["id"] as? String == "iso42001:A.6.2.4" && $0["status"] as? String == "compliant" })
        let candidates = try #require(inference["candidate_evidence"] as? [[String: Any]])
        #expect(candidates.contains { $0["via"] as? String == "iso42001:A.6.2.4" })
        #expect(show["result"] == nil || show["result"] is NSNull)
        // A related non-compliant result makes a compliant one a disagreement.
        try ws.run("assess", "MEASURE-2.1", "--result", "non-compliant")
        let iso = try ws.run("show", "A.6.2.4", "--json").json["inference"] as? [String: Any]
        #expect(iso?["disagreement"] as? Bool == true)
        #expect(iso?["signal"] as? String == "gap-likely")
    }

    @Test("risks: add prints the id, update, list by score, delete; bad input changes nothing")
    func risks() throws {
        let ws = try CLIWorkspace()
        let add = try ws.run("risk", "add", "Bias in scoring", "--likelihood", "4", "--impact", "5", "--requirement", "MAP-1.1",
                             "--treatment", "mitigate", "--owner", "CRO")
        #expect(add.status == 0)
        let id = add.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.count == 36)
        try ws.run("risk", "add", "Drift", "--likelihood", "2", "--impact", "2")
        let list = try #require(try ws.run("risk", "list", "--json").json["risks"] as? [[String: Any]])
        #expect(list.map { $0["title"] as? String } == ["Bias in scoring", "Drift"])
        #expect(list[0]["level"] as? String == "critical" && list[0]["score"] as? Int == 20)
        #expect(list[0]["requirements"] as? [String] == ["nist-ai-rmf:MAP-1.1"])
        #expect(try ws.run("risk", "update", String(id.prefix(13)), "--status", "mitigated", "--unlink", "MAP-1.1").status == 0)
        let risk = try ws.run("show", id, "--json").json
        #expect(risk["status"] as? String == "mitigated" && (risk["requirements"] as? [String])?.isEmpty == true)

        try ws.expectRefusal(["risk", "add", "X", "--likelihood", "0", "--impact", "3"], status: 1, mentioning: "must be 1 to 5, not 0")
        try ws.expectRefusal(["risk", "add", "X", "--likelihood", "3", "--impact", "9"], status: 1, mentioning: "Impact")
        try ws.expectRefusal(["risk", "add", "X", "--likelihood", "3", "--impact", "3", "--treatment", "ignore"], status: 1)
        try ws.expectRefusal(["risk", "add", "X", "--likelihood", "3", "--impact", "3", "--requirement", "ZZ-1"], status: 2)
        try ws.expectRefusal(["risk", "update", "0000dead-0000-7000-8000-000000000000", "--status", "closed"], status: 2)
        try ws.expectRefusal(["risk", "update", id, "--likelihood", "7"], status: 1)
        try ws.expectRefusal(["risk", "update", id], status: 1, mentioning: "Nothing to change")

        #expect(try ws.run("risk", "delete", id).status == 0)
        #expect((try ws.run("risk", "list", "--json").json["risks"] as? [Any])?.count == 1)
        try ws.expectRefusal(["risk", "update", id, "--status", "closed"], status: 3, mentioning: "deleted")
        let history = try #require(try ws.run("history", id, "--json").json["changes"] as? [[String: Any]])
        #expect(history.last?["field"] as? String == "deleted")
        #expect(history.contains { $0["field"] as? String == "status" && ($0["previous"] as? [String]) == ["open"] })
    }

    @Test("evidence is copied by SHA-256, listed, verified, linked and unlinked")
    func evidence() throws {
        let ws = try CLIWorkspace()
        let contents = "AI policy, approved 2026-03-01"
        let file = try ws.file("policy.txt", contents)
        let added = try ws.run("evidence", "add", file.path, "--requirement", "GV-1.1", "--description", "Signed policy", "--json").json
        let sha = SHA256.hash(data: Data(contents.utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(added["sha256"] as? String == sha)
        #expect(added["size"] as? Int == contents.utf8.count)
        let id = try #require(added["id"] as? String)
        let object = ws.folder.appendingPathComponent(".fieldbook/objects/\(sha.prefix(2))/\(sha.dropFirst(2))")
        #expect(try Data(contentsOf: object) == Data(contents.utf8))
        try FileManager.default.removeItem(at: file)  // the workspace keeps its own copy
        #expect(try ws.run("evidence", "link", id, "--requirement", "A.2.2").status == 0)
        #expect(try ws.run("evidence", "unlink", id, "--requirement", "GV-1.1").status == 0)
        let listed = try #require(try ws.run("evidence", "list", "--json").json["evidence"] as? [[String: Any]])
        #expect(listed.first?["requirements"] as? [String] == ["iso42001:A.2.2"])
        let verified = try ws.run("evidence", "verify", "--json")
        #expect(verified.status == 0)
        #expect(try verified.json["intact"] as? Int == 1)
        try Data("tampered".utf8).write(to: object)
        let damaged = try ws.run("evidence", "verify", "--json")
        #expect(damaged.status == 3)
        #expect(((try damaged.json["files"] as? [[String: Any]])?.first?["condition"] as? String) == "damaged")
    }

    @Test("bad evidence input is refused and changes nothing")
    func evidenceRefusals() throws {
        let ws = try CLIWorkspace()
        try ws.expectRefusal(["evidence", "add", ws.folder.appendingPathComponent("missing.pdf").path, "--requirement", "GV-1.1"],
                             status: 2, mentioning: "does not exist")
        try ws.expectRefusal(["evidence", "add", ws.folder.path, "--requirement", "GV-1.1"], status: 1, mentioning: "folder")
        let file = try ws.file("a.txt", "a")
        try ws.expectRefusal(["evidence", "add", file.path], status: 1, mentioning: "Evidence needs at least one requirement it supports.")
        try ws.expectRefusal(["evidence", "add", file.path, "--requirement", "nope"], status: 2)
        try ws.expectRefusal(["evidence", "link", "0000", "--requirement", "GV-1.1"], status: 2)
    }

    @Test("findings carry severity, corrective action and due date; bad dates are refused")
    func findings() throws {
        let ws = try CLIWorkspace()
        let id = try ws.run("finding", "add", "No V&V records", "--requirement", "A.6.2.4", "--severity", "major",
                            "--corrective-action", "Keep V&V records", "--owner", "QA lead", "--due", "2027-01-31")
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try ws.run("finding", "update", id, "--status", "in-progress").status == 0)
        let found = try #require(try ws.run("finding", "list", "--json").json["findings"] as? [[String: Any]])
        #expect(found.first?["severity"] as? String == "major")
        #expect(found.first?["status"] as? String == "in-progress")
        #expect(found.first?["due"] as? String == "2027-01-31")
        #expect(found.first?["corrective_action"] as? String == "Keep V&V records")
        try ws.expectRefusal(["finding", "add", "X", "--requirement", "A.6.2.4", "--due", "2027-02-30"], status: 1, mentioning: "YYYY-MM-DD")
        try ws.expectRefusal(["finding", "add", "X", "--requirement", "A.6.2.4", "--severity", "critical"], status: 1)
        try ws.expectRefusal(["finding", "add", "X"], status: 1, mentioning: "A finding needs at least one requirement it was raised against.")
    }

    @Test("log lists every change with author and old and new values, filtered")
    func log() throws {
        let ws = try CLIWorkspace()
        try ws.run("assess", "GV-1.1", "--result", "partially-compliant")
        try ws.run("assess", "GV-1.1", "--result", "compliant")
        let changes = try #require(try ws.run("log", "--json").json["changes"] as? [[String: Any]])
        #expect(changes.count == 3)  // engagement name, then two results
        let last = try #require(changes.last)
        #expect(last["previous"] as? [String] == ["partially-compliant"])
        #expect(last["value"] as? String == "compliant")
        #expect(last["author"] as? String == "Ana")
        #expect((last["at"] as? String)?.hasSuffix("Z") == true)
        let filtered = try ws.run("log", "--entity", "GV-1.1", "--assessor", "Ana", "--json").json["changes"] as? [Any]
        #expect(filtered?.count == 2)
        #expect((try ws.run("log", "--assessor", "Nobody", "--json").json["changes"] as? [Any])?.isEmpty == true)
        #expect((try ws.run("log", "--since", "2999-01-01", "--json").json["changes"] as? [Any])?.isEmpty == true)
        try ws.expectRefusal(["log", "--since", "yesterday"], status: 1, mentioning: "not a date")
    }

    @Test("conflicts is empty on one replica and resolve refuses what is not in conflict")
    func conflictsAlone() throws {
        let ws = try CLIWorkspace()
        try ws.run("assess", "GV-1.1", "--result", "compliant")
        #expect((try ws.run("conflicts", "--json").json["conflicts"] as? [Any])?.isEmpty == true)
        try ws.expectRefusal(["resolve", "GV-1.1", "status", "--keep", "Ben"], status: 2)
        try ws.expectRefusal(["resolve", "GV-1.1", "colour", "--value", "x"], status: 1, mentioning: "no field")
        try ws.expectRefusal(["resolve", "GV-1.1", "status"], status: 1)
    }

    @Test("the workspace is found upward, by --workspace anywhere, or by FIELDBOOK_WORKSPACE")
    func workspaceDiscovery() throws {
        let ws = try CLIWorkspace()
        let nested = ws.folder.appendingPathComponent("notes/day1")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        #expect(try FieldbookProcess(workingDirectory: nested).run(["status", "--json"]).status == 0)
        let elsewhere = FieldbookProcess(workingDirectory: FileManager.default.temporaryDirectory)
        #expect(try elsewhere.run(["--workspace", ws.folder.path, "status", "--json"]).status == 0)
        #expect(try elsewhere.run(["status", "--workspace", ws.folder.path]).status == 0)
        #expect(try FieldbookProcess(workingDirectory: FileManager.default.temporaryDirectory,
                                     environment: ["FIELDBOOK_WORKSPACE": ws.folder.path]).run(["status"]).status == 0)
        let none = try CLIWorkspace(initialize: false)
        let missing = try none.run("status")
        #expect(missing.status == 2 && missing.stderr.contains("fieldbook init"))
    }

    @Test("a foreign database, a newer schema and a read-only workspace are refused")
    func damagedWorkspaces() throws {
        let foreign = try CLIWorkspace(initialize: false)
        try FileManager.default.createDirectory(at: foreign.folder.appendingPathComponent(".fieldbook"), withIntermediateDirectories: true)
        try Data("SQLite format 3\u{0}garbage".utf8).write(to: foreign.folder.appendingPathComponent(".fieldbook/fieldbook.sqlite"))
        let notOurs = try foreign.run("status")
        #expect(notOurs.status == 3 && notOurs.stderr.contains("not a Fieldbook database"))

        let newer = try CLIWorkspace()
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE meta SET value='99' WHERE key='schema_version'\"); c.commit()",
                            newer.folder.appendingPathComponent(".fieldbook/fieldbook.sqlite").path]
        try sqlite.run()
        sqlite.waitUntilExit()
        let refused = try newer.run("status")
        #expect(refused.status == 3 && refused.stderr.contains("newer Fieldbook"))

        let readOnly = try CLIWorkspace()
        try readOnly.run("assess", "GV-1.1", "--result", "compliant")
        let before = try readOnly.export()
        let meta = readOnly.folder.appendingPathComponent(".fieldbook")
        for name in try FileManager.default.contentsOfDirectory(atPath: meta.path) {
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: meta.appendingPathComponent(name).path)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: meta.path)
        defer {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: meta.path)) ?? [] {
                try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: meta.appendingPathComponent(name).path)
            }
        }
        // Root ignores file permissions; the check only means something for other users.
        if getuid() != 0 {
            let write = try readOnly.run("assess", "GV-1.1", "--result", "non-compliant")
            #expect(write.status == 4, "\(write.stderr)")
            for name in try FileManager.default.contentsOfDirectory(atPath: meta.path) {
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: meta.appendingPathComponent(name).path)
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: meta.path)
            #expect(try readOnly.export() == before)
        }
    }

    @Test("export is canonical: two exports of the same state are byte-identical")
    func exportStable() throws {
        let ws = try CLIWorkspace()
        try ws.run("assess", "GV-1.1", "--result", "compliant")
        try ws.run("risk", "add", "Bias", "--likelihood", "3", "--impact", "3", "--requirement", "GV-1.1", "--requirement", "A.2.2")
        let first = try ws.export(), second = try ws.export()
        #expect(first == second)
        let document = try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any]
        #expect(document?["format"] as? Int == 1)
        #expect((document?["risks"] as? [[String: Any]])?.first?["links"] as? [String: [String]] == ["requirements": ["iso42001:A.2.2", "nist-ai-rmf:GOVERN-1.1"]])
    }
}

import Foundation
import Testing

/// `fieldbook log --verify`: every change's signature checked, a change altered in the
/// database file found by author and change.
struct SignedHistoryCommandTests {
    /// Edits the workspace's SQLite file behind Fieldbook's back, as a tamperer would.
    static func tamper(_ workspace: CLIWorkspace, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()",
                             workspace.folder.appendingPathComponent(".fieldbook/fieldbook.sqlite").path, sql]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test("log --verify passes on an honest history and names the author and change of an altered one")
    func verify() throws {
        let workspace = try CLIWorkspace(assessor: "Ana")
        #expect(try workspace.run("risk", "add", "Model drift", "--likelihood", "3", "--impact", "4").status == 0)
        #expect(try workspace.run("assess", "GV-1.1", "--result", "compliant").status == 0)
        let honest = try workspace.run("log", "--verify", "--json")
        #expect(honest.status == 0, "\(honest.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(honest.stdout.utf8)) as? [String: Any])
        #expect((document["checked"] as? Int ?? 0) >= 3 && document["checked"] as? Int == document["verified"] as? Int)
        #expect((document["authors"] as? [[String: Any]])?.first?["author"] as? String == "Ana")
        #expect(try workspace.run("log", "--verify").stdout.contains("every signature is valid"))

        // The risk's title rewritten inside the stored segment, same length, so the segment still decodes.
        try Self.tamper(workspace, "UPDATE segment SET bytes = CAST(replace(CAST(bytes AS TEXT), 'Model drift', 'Model fine!') AS BLOB)")
        let altered = try workspace.run("log", "--verify")
        #expect(altered.status == 3, "\(altered.stderr)")
        // One risk title altered: one change, in the singular.
        #expect(altered.stderr.hasPrefix("Error: 1 of ") && altered.stderr.contains("fails its signature check") && altered.stderr.contains("Ana"),
                "\(altered.stderr)")
        #expect(altered.stdout.contains("FAILED"))
        #expect(try workspace.run("log", "--verify", "--entity", "GV-1.1").status == 1)
    }

    @Test("a bundle whose change was altered and re-hashed is refused by its signature, naming the author")
    func alteredBundle() throws {
        let ana = try CLIWorkspace(assessor: "Ana")
        let first = ana.folder.appendingPathComponent("first.fbbundle")
        #expect(try ana.run("bundle", "export", "-o", first.path).status == 0)
        let ben = try CLIWorkspace(assessor: "Ben", initialize: false)
        #expect(try ben.run("clone", first.path, "--assessor", "Ben").status == 0)
        #expect(try ana.run("risk", "add", "Model drift", "--likelihood", "3", "--impact", "4").status == 0)
        // JSON change records, so one value can be changed in place; then the end hash is fixed.
        let json = ana.folder.appendingPathComponent("ana-json.fbbundle")
        let exported = try FieldbookProcess(workingDirectory: ana.folder, environment: ["FIELDBOOK_BUNDLE_CHANGES": "json"])
            .run(["bundle", "export", "-o", json.path])
        #expect(exported.status == 0, "\(exported.stderr)")
        var bytes = try Data(contentsOf: json)
        let needle = Data("Model drift".utf8), forged = Data("Model fine!".utf8)
        let range = try #require(bytes.range(of: needle))
        bytes.replaceSubrange(range, with: forged)
        // The end record is the SHA-256 of every byte before it (docs/bundle-format.md).
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import hashlib, sys
            data = bytearray(open(sys.argv[1], 'rb').read())
            data[-32:] = hashlib.sha256(bytes(data[:-32])).digest()
            open(sys.argv[1], 'wb').write(data)
            """, json.path]
        try bytes.write(to: json)
        try process.run()
        process.waitUntilExit()
        try ben.expectRefusal(["bundle", "import", json.path], status: 1, mentioning: "does not match its signature")
        let refusal = try ben.run("bundle", "import", json.path)
        #expect(refusal.stderr.contains("Ana"), "\(refusal.stderr)")
    }
}

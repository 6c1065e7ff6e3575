import Foundation
import Testing

/// `fieldbook-server backup` and `restore`: a copy taken while the server serves brings back
/// every change and evidence file; a restore refuses to replace a database that holds data.
@Suite(.serialized)
struct BackupTests {
    @Test("a backup taken while serving restores into a new server that clones to the same engagement, evidence included")
    func roundTrip() async throws {
        let server = try ServerProcess(.sqlite)
        defer { withExtendedLifetime(server) {} }
        let engagement = try server.createEngagement("Backed up")
        let ana = try Laptop()
        let token = try server.token(for: "Ana", engagement: engagement).secret
        #expect(try ana.run("clone", server.url, "--engagement", engagement, "--token", token, "--assessor", "Ana").status == 0)
        #expect(try ana.run("assess", "A.6.2.4", "--result", "partially-compliant", "--note", "Before the backup").status == 0)
        let evidence = ana.folder.appendingPathComponent("minutes.txt")
        try Data("board minutes\n".utf8).write(to: evidence)
        #expect(try ana.run("evidence", "add", evidence.path, "--requirement", "A.6.2.4").status == 0)
        #expect(try ana.run("sync").status == 0)

        // Taken while the server runs.
        let file = server.store.folder.appendingPathComponent("backup.zip")
        let backup = try server.admin(["backup", "-o", file.path, "--objects", server.store.objects, "--json"])
        #expect(backup.status == 0, "\(backup.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(backup.stdout.utf8)) as? [String: Any])
        #expect((summary["manifest"] as? [String: Any])?["objects"] as? Int == 1, "\(backup.stdout)")

        // Refused onto the live database; taken into a new one.
        let refused = try server.admin(["restore", file.path, "--objects", server.store.objects])
        #expect(refused.status == 3 && refused.stderr.contains("--force"), "\(refused.stderr)")
        let restored = try ServerDatabase(.sqlite)
        let restore = try ChildProcess.run(ServerProcess.binary("fieldbook-server"),
                                           ["restore", file.path, "--database", restored.location, "--objects", restored.objects])
        #expect(restore.status == 0, "\(restore.stderr)")
        let second = try ServerProcess(sharing: restored)
        defer { withExtendedLifetime(second) {} }
        let ben = try Laptop()
        let benToken = try second.token(for: "Ben", engagement: engagement).secret
        let clone = try ben.run("clone", second.url, "--engagement", engagement, "--token", benToken, "--assessor", "Ben")
        #expect(clone.status == 0, "\(clone.stderr)")
        #expect(try ben.export() == ana.export())
        #expect(try ben.json("evidence", "verify", "--json")["intact"] as? Int == 1)

        // Not a backup: one sentence, exit 1, nothing touched.
        let junk = server.store.folder.appendingPathComponent("junk.zip")
        try Data("not a zip".utf8).write(to: junk)
        let bad = try ChildProcess.run(ServerProcess.binary("fieldbook-server"), ["restore", junk.path, "--database", restored.location, "--force"])
        #expect(bad.status == 1 && bad.stderr.contains("not a Fieldbook server backup"), "\(bad.stderr)")
    }
}

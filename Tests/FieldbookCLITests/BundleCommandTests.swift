import Foundation
import Testing

/// Bundles through the real binary: exchange, clone, idempotency, and every hostile file.
struct BundleCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/bad-bundles")

    /// Every file under `.fieldbook/` except the SQLite side files, with its size: an import
    /// that was refused must leave no object or scratch file behind.
    static func files(_ ws: CLIWorkspace) -> [String: Int] {
        let root = ws.folder.appendingPathComponent(".fieldbook")
        var result: [String: Int] = [:]
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                  !url.lastPathComponent.hasPrefix("fieldbook.sqlite") else { continue }
            result[url.path] = (try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0
        }
        return result
    }

    @Test("each hostile bundle is refused with one clear sentence and leaves the workspace unchanged", arguments: [
        ("truncated.fbbundle", Int32(1), "ends early"),
        ("flipped-byte.fbbundle", 1, "damaged"),
        ("wrong-engagement.fbbundle", 3, "belongs to engagement other-engagement"),
        ("future-format.fbbundle", 1, "newer than this Fieldbook"),
        ("hash-mismatch.fbbundle", 1, "does not match its SHA-256"),
        ("path-traversal.fbbundle", 1, "not by a SHA-256"),
        ("huge-declared-length.fbbundle", 1, "declares"),
        ("unknown-kind.fbbundle", 1, "spaceship"),
        ("invalid-value.fbbundle", 1, "maturity must be 0 to 5"),
        ("not-a-bundle.fbbundle", 1, "not a Fieldbook bundle"),
        ("empty.fbbundle", 1, "not a Fieldbook bundle"),
    ])
    func hostile(name: String, status: Int32, message: String) throws {
        let target = try CLIWorkspace(initialize: false)
        #expect(try target.run("init", "--engagement", "Fixture", "--assessor", "Tess", "--id", "fixture-engagement").status == 0)
        try target.run("assess", "A.6.2.4", "--result", "compliant")
        let files = Self.files(target)
        try target.expectRefusal(["bundle", "import", Self.fixtures.appendingPathComponent(name).path], status: status, mentioning: message)
        #expect(Self.files(target) == files, "\(name) left files behind")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/fieldbook-escape"))
    }

    @Test("the good fixture imports, and importing it again says nothing is new")
    func goodFixture() throws {
        let target = try CLIWorkspace(initialize: false)
        try target.run("init", "--engagement", "Fixture engagement", "--assessor", "Tess", "--id", "fixture-engagement")
        let good = Self.fixtures.appendingPathComponent("good.fbbundle").path
        let first = try target.run("bundle", "import", good, "--json").json
        #expect(first["new_changes"] as? Int == 7 && first["new_evidence_files"] as? Int == 1)
        let before = try target.export()
        let second = try target.run("bundle", "import", good, "--json").json
        #expect(second["nothing_new"] as? Bool == true && second["already_present"] as? Int == 7)
        #expect(try target.export() == before)
        #expect(try target.run("evidence", "verify").status == 0)
    }

    @Test("two assessors exchange bundles: conflicts shown, a resolution carried back clears them everywhere")
    func twoAssessors() throws {
        let ana = try CLIWorkspace(assessor: "Ana")
        try ana.run("assess", "GV-1.1", "--result", "compliant")
        let evidence = try ana.file("policy.txt", "the AI policy")
        try ana.run("evidence", "add", evidence.path, "--requirement", "GV-1.1")
        let first = ana.folder.appendingPathComponent("ana-1.fbbundle").path
        #expect(try ana.run("bundle", "export", "-o", first).status == 0)

        let ben = try CLIWorkspace(initialize: false)
        let clone = try ben.run("clone", first, "--assessor", "Ben", "--json").json
        #expect((clone["imported"] as? [String: Any])?["new_evidence_files"] as? Int == 1)
        #expect(try ben.run("evidence", "verify").status == 0)
        #expect(try ben.run("status", "--json").json["site"] as? String != (try ana.run("status", "--json").json["site"] as? String))

        try ben.run("assess", "GV-1.1", "--result", "non-compliant")
        try ana.run("assess", "GV-1.1", "--result", "partially-compliant")
        let fromBen = ben.folder.appendingPathComponent("ben-1.fbbundle").path
        try ben.run("bundle", "export", "-o", fromBen)
        let imported = try ana.run("bundle", "import", fromBen, "--json").json
        #expect(imported["new_conflicts"] as? Int == 1)
        let conflicts = try #require(try ana.run("conflicts", "--json").json["conflicts"] as? [[String: Any]])
        #expect(conflicts.count == 1 && conflicts[0]["field"] as? String == "status")
        let values = try #require(conflicts[0]["values"] as? [[String: Any]])
        #expect(Set(values.compactMap { $0["author"] as? String }) == ["Ana", "Ben"])

        #expect(try ana.run("resolve", "GV-1.1", "status", "--keep", "Ben").status == 0)
        let back = ana.folder.appendingPathComponent("ana-2.fbbundle").path
        try ana.run("bundle", "export", "-o", back, "--since-bundle", fromBen)
        try ben.run("bundle", "import", back)
        #expect((try ben.run("conflicts", "--json").json["conflicts"] as? [Any])?.isEmpty == true)
        #expect(try ana.export() == ben.export())
        let show = try ben.run("show", "GV-1.1", "--json").json["result"] as? [String: Any]
        #expect(show?["status"] as? String == "non-compliant")
        let status = try ana.run("status", "--json").json
        let peers = try #require(status["peers"] as? [[String: Any]])
        #expect(peers.first?["assessor"] as? String == "Ben")
    }

    @Test("two concurrent resolutions are themselves a conflict")
    func concurrentResolutions() throws {
        let ana = try CLIWorkspace(assessor: "Ana")
        try ana.run("risk", "add", "Bias", "--likelihood", "2", "--impact", "2")
        let bundle = ana.folder.appendingPathComponent("a.fbbundle").path
        try ana.run("bundle", "export", "-o", bundle)
        let ben = try CLIWorkspace(initialize: false)
        try ben.run("clone", bundle, "--assessor", "Ben")
        let id = try #require((try ana.run("risk", "list", "--json").json["risks"] as? [[String: Any]])?.first?["id"] as? String)
        try ana.run("risk", "update", id, "--likelihood", "4")
        try ben.run("risk", "update", id, "--likelihood", "5")
        let a2 = ana.folder.appendingPathComponent("a2.fbbundle").path, b2 = ben.folder.appendingPathComponent("b2.fbbundle").path
        try ana.run("bundle", "export", "-o", a2)
        try ben.run("bundle", "export", "-o", b2)
        try ana.run("bundle", "import", b2)
        try ben.run("bundle", "import", a2)
        try ana.run("resolve", id, "likelihood", "--value", "4")
        try ben.run("resolve", id, "likelihood", "--value", "5")
        let a3 = ana.folder.appendingPathComponent("a3.fbbundle").path, b3 = ben.folder.appendingPathComponent("b3.fbbundle").path
        try ana.run("bundle", "export", "-o", a3)
        try ben.run("bundle", "export", "-o", b3)
        try ana.run("bundle", "import", b3)
        try ben.run("bundle", "import", a3)
        for ws in [ana, ben] {
            let conflicts = try #require(try ws.run("conflicts", "--json").json["conflicts"] as? [[String: Any]])
            #expect(conflicts.map { $0["field"] as? String } == ["likelihood"])
        }
        #expect(try ana.export() == ben.export())
    }

    @Test("a deletion that raced an edit shows as a conflict and --keep the editor restores")
    func deletionConflict() throws {
        let ana = try CLIWorkspace(assessor: "Ana")
        let id = try ana.run("risk", "add", "Drift", "--likelihood", "2", "--impact", "2").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let bundle = ana.folder.appendingPathComponent("a.fbbundle").path
        try ana.run("bundle", "export", "-o", bundle)
        let ben = try CLIWorkspace(initialize: false)
        try ben.run("clone", bundle, "--assessor", "Ben")
        try ana.run("risk", "delete", id)
        try ben.run("risk", "update", id, "--impact", "5")
        let b2 = ben.folder.appendingPathComponent("b2.fbbundle").path
        try ben.run("bundle", "export", "-o", b2)
        try ana.run("bundle", "import", b2)
        let conflicts = try #require(try ana.run("conflicts", "--json").json["conflicts"] as? [[String: Any]])
        #expect(conflicts.first?["deletion"] as? Bool == true)
        #expect(try ana.run("resolve", id, "deleted", "--keep", "Ben").status == 0)
        let risk = try ana.run("show", id, "--json").json
        #expect(risk["deleted"] as? Bool == false && risk["impact"] as? Int == 5)
    }

    @Test("export refuses an unwritable destination; clone refuses a missing bundle and leaves no workspace")
    func exportAndCloneErrors() throws {
        let ana = try CLIWorkspace()
        try ana.expectRefusal(["bundle", "export", "-o", "/nonexistent-folder/x.fbbundle"], status: 4, mentioning: "could not be written")
        let target = try CLIWorkspace(initialize: false)
        let missing = try target.run("clone", "/nonexistent.fbbundle", "--assessor", "Ben")
        #expect(missing.status == 2)
        #expect(!FileManager.default.fileExists(atPath: target.folder.appendingPathComponent(".fieldbook").path))
        let damaged = try target.run("clone", Self.fixtures.appendingPathComponent("hash-mismatch.fbbundle").path, "--assessor", "Ben")
        #expect(damaged.status == 1)
        #expect(!FileManager.default.fileExists(atPath: target.folder.appendingPathComponent(".fieldbook").path))
    }
}

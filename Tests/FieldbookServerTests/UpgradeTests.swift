import FieldbookServer
import FieldbookWire
import Foundation
import GRDB
import Testing

/// Files written by earlier releases, committed under `Fixtures/upgrade/RELEASE` by
/// `Scripts/make-upgrade-fixtures.sh` with that release's binaries: a new build opens the
/// workspace, imports the bundles and serves the server databases, and every old signature still
/// verifies. `release-69d9dd3` wrote batch format 3 with a signature per change (before the
/// hash-linked history); `release-f64343e` is the release before the ISO/IEC 42001 risk treatment
/// and graded findings (issue 29) added fields and migrations; `release-581aab8` is 0.2 with
/// fieldwork and key revocation (workspace schema 12, the log's rows still wide), before the
/// narrow log (issue 33) moved them to `change_row`.
@Suite(.serialized)
struct UpgradeTests {
    static let releases = ["release-69d9dd3", "release-f64343e", "release-581aab8"]

    static func fixtures(_ release: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/upgrade/\(release)")
    }

    static func expectedExport(_ release: String) throws -> String {
        try String(contentsOf: fixtures(release).appendingPathComponent("ana-export.json"), encoding: .utf8)
    }

    /// `log --verify` passes and checks every change.
    static func expectVerified(_ laptop: Laptop, changes: Int? = nil) throws {
        let verify = try laptop.run("log", "--verify", "--json")
        #expect(verify.status == 0, "\(verify.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(verify.stdout.utf8)) as? [String: Any])
        #expect((document["failures"] as? [Any])?.isEmpty ?? true, "\(verify.stdout)")
        if let changes { #expect(document["checked"] as? Int == changes, "\(verify.stdout)") }
    }

    @Test("a workspace written by an earlier release opens with its state intact, verifies, and goes on writing a chained history",
          arguments: releases)
    func workspace(release: String) throws {
        let fixtures = Self.fixtures(release)
        let laptop = try Laptop()
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("ana/.fieldbook"), to: laptop.folder.appendingPathComponent(".fieldbook"))
        #expect(try laptop.export() == Self.expectedExport(release))
        let before = try laptop.json("status", "--json")
        let oldChanges = try #require(before["changes"] as? Int)
        try Self.expectVerified(laptop, changes: oldChanges)
        #expect(try laptop.run("assess", "GV-1.1", "--result", "partially-compliant", "--note", "After the upgrade").status == 0)
        #expect(try laptop.run("risk", "add", "Drift after upgrade", "--likelihood", "2", "--impact", "3").status == 0)
        try Self.expectVerified(laptop)
        // Ana's bundle from the old release is already held; importing it again brings nothing.
        let again = try laptop.json("bundle", "import", fixtures.appendingPathComponent("ana.fbbundle").path, "--json")
        #expect(again["nothing_new"] as? Bool == true)
        // The mixed history travels: a colleague cloning it verifies every change.
        let bundle = laptop.folder.appendingPathComponent("mixed.fbbundle")
        #expect(try laptop.run("bundle", "export", "-o", bundle.path).status == 0)
        let colleague = try Laptop()
        let clone = try colleague.run("clone", bundle.path, "--assessor", "Cy Park")
        #expect(clone.status == 0, "\(clone.stderr)")
        #expect(try colleague.export() == laptop.export())
        try Self.expectVerified(colleague)
    }

    @Test("bundles written by an earlier release clone and import all or nothing", arguments: releases)
    func bundles(release: String) throws {
        let fixtures = Self.fixtures(release)
        let laptop = try Laptop()
        let clone = try laptop.run("clone", fixtures.appendingPathComponent("ana.fbbundle").path, "--assessor", "Cy Park")
        #expect(clone.status == 0, "\(clone.stderr)")
        #expect(try laptop.export() == Self.expectedExport(release))
        let ben = try laptop.json("bundle", "import", fixtures.appendingPathComponent("ben.fbbundle").path, "--json")
        #expect(ben["nothing_new"] as? Bool == true)
        try Self.expectVerified(laptop)
    }

    @Test("a server database written by an earlier release serves its history and takes chained pushes",
          arguments: ServerBackend.underTest, releases)
    func server(backend: ServerBackend, release: String) async throws {
        let fixtures = Self.fixtures(release)
        let store = try ServerDatabase(backend)
        switch backend {
        case .sqlite:
            try FileManager.default.copyItem(at: fixtures.appendingPathComponent("server.sqlite"), to: URL(fileURLWithPath: store.location))
        case .postgres:
            try store.runSQL(file: fixtures.appendingPathComponent("server-postgres.sql"))
        }
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("server-objects"), to: URL(fileURLWithPath: store.objects))
        // The old tokens' secrets were printed once: one more, written as the old release
        // wrote tokens (no role, no expiry), whose secret this test knows.
        let ana = "fbt_" + String(repeating: "0a", count: 32)
        let oldToken = "INSERT INTO token (id, hash, assessor, engagement, created) VALUES ('0ldt0ken', '\(TokenSecret.hash(ana))', 'Ana Ruiz', 'upgrade-fixture', 1796103270000)"
        switch backend {
        case .sqlite: try await DatabaseQueue(path: store.location).write { try $0.execute(sql: oldToken) }
        case .postgres: _ = try store.sql(oldToken)
        }
        let server = try ServerProcess(sharing: store)
        defer { withExtendedLifetime(server) {} }
        // Every token made before roles is an assessor's that never expires, and still works.
        let tokens = try server.admin(["token", "list", "--json"])
        let listed = try #require((try JSONSerialization.jsonObject(with: Data(tokens.stdout.utf8)) as? [String: [[String: Any]]])?["tokens"])
        #expect(listed.count == 3, "\(tokens.stdout)")
        for token in listed { #expect(token["role"] as? String == "assessor" && token["expires"] == nil, "\(token)") }
        let (_, info) = try await server.request("GET", "/v1/engagements/upgrade-fixture", token: ana)
        #expect(try JSONDecoder().decode(EngagementInfo.self, from: info).role == .assessor)
        let laptop = try Laptop()
        let clone = try laptop.run("clone", server.url, "--engagement", "upgrade-fixture", "--token", ana, "--assessor", "Ana Ruiz")
        #expect(clone.status == 0, "\(clone.stderr)")
        #expect(try laptop.export() == Self.expectedExport(release))
        try Self.expectVerified(laptop)
        let evidence = try laptop.json("evidence", "verify", "--json")
        #expect(evidence["intact"] as? Int == 1)
        // New chained changes onto the old log, pulled by a second clone.
        #expect(try laptop.run("assess", "GV-1.1", "--result", "non-compliant").status == 0)
        let sync = try laptop.run("sync")
        #expect(sync.status == 0, "\(sync.stderr)")
        let ben = try server.token(for: "Ben Okafor", engagement: "upgrade-fixture").secret
        let second = try Laptop()
        #expect(try second.run("clone", server.url, "--engagement", "upgrade-fixture", "--token", ben, "--assessor", "Ben Okafor").status == 0)
        #expect(try second.export() == laptop.export())
        try Self.expectVerified(second)
    }
}

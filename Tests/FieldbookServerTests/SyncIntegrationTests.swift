import FieldbookReplica
import FieldbookTestSupport
import FieldbookWire
import Foundation
import Testing

/// The real server and the real CLI on loopback: clones sync in random order and converge,
/// evidence arrives intact, resent batches change nothing, an interrupted sync finishes.
@Suite(.serialized)
struct SyncIntegrationTests {
    @Test("three laptops syncing in random order converge byte-for-byte, evidence included", arguments: ServerBackend.underTest)
    func convergence(backend: ServerBackend) throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        let engagement = try server.createEngagement("Acme")
        var random = SeededRandom(seed: 7)
        let laptops = try (0..<3).map { index -> Laptop in
            let laptop = try Laptop()
            let token = try server.token(for: "assessor-\(index)", engagement: engagement).secret
            let clone = try laptop.run("clone", server.url, "--engagement", engagement, "--token", token, "--assessor", "assessor-\(index)")
            #expect(clone.status == 0, "\(clone.stderr)")
            return laptop
        }
        let requirements = ["GV-1.1", "MP-1.1", "A.6.2.4", "6.1.2"]
        for step in 0..<30 {
            let laptop = random.pick(laptops)
            switch Int.random(in: 0..<4, using: &random) {
            case 0:
                #expect(try laptop.run("assess", random.pick(requirements), "--result", random.pick(["compliant", "non-compliant"])).status == 0)
            case 1:
                #expect(try laptop.run("risk", "add", "Risk \(step)", "--likelihood", "3", "--impact", "4").status == 0)
            case 2:
                let file = laptop.folder.appendingPathComponent("evidence-\(step).txt")
                try Data("evidence \(step)".utf8).write(to: file)
                #expect(try laptop.run("evidence", "add", file.path, "--requirement", random.pick(requirements)).status == 0)
            default:
                let sync = try laptop.run("sync")
                #expect(sync.status == 0, "\(sync.stderr)")
            }
        }
        for _ in 0..<2 { for laptop in laptops { #expect(try laptop.run("sync").status == 0) } }
        let exports = try laptops.map { try $0.export() }
        #expect(Set(exports).count == 1)
        for laptop in laptops {
            let verify = try laptop.json("evidence", "verify", "--json")
            #expect(verify["intact"] as? Int == verify["checked"] as? Int)
        }
        let status = try laptops[0].json("status", "--json")
        #expect((status["changes"] as? Int ?? 0) > 30)
    }

    @Test("a resent batch changes nothing and a sync killed midway finishes on the next run without resending", arguments: ServerBackend.underTest)
    func resendAndResume(backend: ServerBackend) async throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        let engagement = try server.createEngagement("Resume")
        let token = try server.token(for: "Ana", engagement: engagement).secret
        let laptop = try Laptop()
        #expect(try laptop.run("clone", server.url, "--engagement", engagement, "--token", token, "--assessor", "Ana").status == 0)
        let bundle = laptop.folder.appendingPathComponent("work.fbbundle")
        try SyntheticBundle.write(to: bundle, engagement: engagement, count: 12_000, author: "Ana")
        #expect(try laptop.run("bundle", "import", bundle.path).status == 0)

        // Kill the first sync part-way through its pushes.
        let process = Process()
        process.executableURL = ServerProcess.binary("fieldbook")
        process.arguments = ["--workspace", laptop.folder.path, "sync"]
        // Pushes of 1,000 with a pause after each: the kill lands between two pushes. The pause
        // is long so a loaded machine (CI runs suites side by side) still sees the first push
        // before the last one lands.
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["FIELDBOOK_SYNC_BATCH": "1000", "FIELDBOOK_SYNC_PAUSE_MS": "2000"]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the server holds part of the work (one push of 1,000 has landed), then kill.
        var held: UInt64 = 0
        while held == 0 && process.isRunning {
            try await Task.sleep(nanoseconds: 10_000_000)
            held = (try? await server.vector(engagement, token: token).count) ?? 0
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(held > 0 && held < 12_000, "the sync was not cut midway (server held \(held))")
        // A push the killed client had sent may still be committing on the server: wait
        // until the server is quiet, as a person re-running sync a moment later would.
        var stable = try await server.vector(engagement, token: token).count
        while true {
            try await Task.sleep(nanoseconds: 300_000_000)
            let now = try await server.vector(engagement, token: token).count
            if now == stable { break }
            stable = now
        }
        held = stable

        let resumed = try laptop.json("sync", "--json")
        #expect(resumed["pushed_already_on_server"] as? Int == 0, "the resumed sync resent changes")
        let pushedBefore = try await server.vector(engagement, token: token).count
        #expect(pushedBefore == 12_000)
        #expect((resumed["pushed"] as? Int ?? 0) <= 12_000 - Int(held))
        let (status, data) = try await server.request("GET", "/v1/engagements/\(engagement)/vector", token: token)
        #expect(status == 200)
        let vector = try JSONDecoder().decode(VersionVector.self, from: data)
        #expect(vector.count == 12_000)

        // Resending a batch the server holds changes nothing.
        let (_, pageData) = try await server.request("POST", "/v1/engagements/\(engagement)/pull", token: token,
                                                     body: try JSONEncoder().encode(PullRequest(vector: VersionVector(), limit: 100)))
        // A page holds whole pushed segments: the first one, however large, then up to the limit.
        let page = try PullPage.decode(pageData)
        let count = page.changes.count
        #expect(count >= 100 && count <= 5_000 && page.meta.next != nil)
        let (pushStatus, pushData) = try await server.request("POST", "/v1/engagements/\(engagement)/changes", token: token,
                                                              body: ChangeBatch(page.changes).encoded(), contentType: Wire.changesMediaType)
        #expect(pushStatus == 200)
        let answer = try JSONDecoder().decode(PushResponse.self, from: pushData)
        #expect(answer.applied == 0 && answer.duplicates == count)
        let (_, after) = try await server.request("GET", "/v1/engagements/\(engagement)/vector", token: token)
        #expect(try JSONDecoder().decode(VersionVector.self, from: after) == vector)
    }
}

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

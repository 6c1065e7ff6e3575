import Crypto
import FieldbookModel
import FieldbookReplica
import FieldbookStore
import FieldbookSync
import Foundation
import Testing

struct BundleRoundTripTests {
    static func workspace(_ name: String, engagement: String = "round-trip") throws -> Workspace {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fb-sync-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try Workspace.create(at: WorkspaceLocation(root: folder), engagement: EntityID(engagement)!, assessor: name,
                                    engagementName: "Round trip", scope: nil)
    }

    @Test("a bundle carries changes and a large evidence file intact, streamed in chunks")
    func largeEvidence() throws {
        let sender = try Self.workspace("sender")
        defer { try? FileManager.default.removeItem(at: sender.location.root) }
        // 24 MiB of varied bytes: larger than any read chunk the reader or writer uses.
        let source = sender.location.root.appendingPathComponent("recording.bin")
        _ = FileManager.default.createFile(atPath: source.path, contents: nil)
        let handle = try FileHandle(forWritingTo: source)
        var hasher = SHA256()
        for block in 0..<24 {
            let chunk = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ block) })
            hasher.update(data: chunk)
            try handle.write(contentsOf: chunk)
        }
        try handle.close()
        let sha = Data(hasher.finalize()).map { String(format: "%02x", $0) }.joined()
        let stored = try sender.objects.add(contentsOf: source)
        #expect(stored.sha256 == sha && stored.size == 24 << 20)
        let evidence = EntityID("0193e000-0000-7000-8000-000000000001")!
        try sender.write([.set(evidence, .evidence, field: "filename", .text("recording.bin")),
                          .set(evidence, .evidence, field: "sha256", .text(sha)),
                          .link(evidence, .evidence, field: "requirements", target: "iso42001:A.6.2.8")])
        let file = sender.location.root.appendingPathComponent("out.fbbundle")
        let exported = try BundleExchange(workspace: sender).export(to: file)
        #expect(exported.evidenceFiles == 1 && exported.changes == 4)
        #expect(exported.bytes > 24 << 20)

        let receiver = try Self.workspace("receiver")
        defer { try? FileManager.default.removeItem(at: receiver.location.root) }
        let summary = try BundleExchange(workspace: receiver).importBundle(file)
        #expect(summary.newChanges == 4 && summary.newEvidenceFiles == 1 && !summary.nothingNew)
        #expect(receiver.objects.verify(sha) == .intact)
        #expect(try receiver.record(evidence)?.requirements == ["iso42001:A.6.2.8"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: receiver.location.scratch.path).isEmpty)
    }

    @Test("--since-bundle writes only what the earlier bundle's holder lacked")
    func incremental() throws {
        let sender = try Self.workspace("sender")
        defer { try? FileManager.default.removeItem(at: sender.location.root) }
        let risk = EntityID("0193e000-0000-7000-8000-000000000002")!
        try sender.write([.set(risk, .risk, field: "title", .text("Bias"))])
        let first = sender.location.root.appendingPathComponent("1.fbbundle")
        _ = try BundleExchange(workspace: sender).export(to: first)
        try sender.write([.set(risk, .risk, field: "title", .text("Bias in scoring"))])
        let second = sender.location.root.appendingPathComponent("2.fbbundle")
        let base = try BundleReader.header(of: first).vector
        let summary = try BundleExchange(workspace: sender).export(to: second, since: base)
        #expect(summary.changes == 1)
        let header = try BundleReader.header(of: second)
        #expect(header.base == base && header.changeCount == 1)
        #expect(header.vector.includes(base))
    }

    @Test("a bundle of another engagement is refused and nothing is kept")
    func otherEngagement() throws {
        let sender = try Self.workspace("sender", engagement: "one")
        let receiver = try Self.workspace("receiver", engagement: "two")
        defer {
            try? FileManager.default.removeItem(at: sender.location.root)
            try? FileManager.default.removeItem(at: receiver.location.root)
        }
        let file = sender.location.root.appendingPathComponent("one.fbbundle")
        _ = try BundleExchange(workspace: sender).export(to: file)
        #expect(throws: BundleError.otherEngagement(bundle: "one", workspace: "two")) {
            try BundleExchange(workspace: receiver).importBundle(file)
        }
        #expect(try receiver.summary().changes == 1)
    }
}

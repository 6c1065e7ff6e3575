import FieldbookStore
import Foundation
import Testing

struct ObjectStoreTests {
    @Test("a download whose bytes are another file the store holds is refused without touching that file")
    func expectedHash() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("objects-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = ObjectStore(folder: folder.appendingPathComponent("objects"), scratch: folder.appendingPathComponent("tmp"))
        let evidence = folder.appendingPathComponent("policy.txt")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("Model risk policy v3".utf8).write(to: evidence)
        let held = try store.add(contentsOf: evidence)

        // A server answers a request for another hash with the bytes of a file held here.
        let wanted = String(repeating: "a", count: 64)
        let download = try store.add(contentsOf: evidence, expected: wanted)
        #expect(download.sha256 == held.sha256)
        #expect(!store.contains(wanted))
        #expect(store.verify(held.sha256) == .intact)

        let other = folder.appendingPathComponent("other.txt")
        try Data("not what was asked for".utf8).write(to: other)
        let refused = try store.add(contentsOf: other, expected: wanted)
        #expect(!store.contains(refused.sha256), "bytes that do not match the expected hash are not kept")
    }
}

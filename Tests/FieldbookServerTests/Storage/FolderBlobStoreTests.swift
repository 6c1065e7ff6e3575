@testable import FieldbookServer
import Foundation
import NIOCore
import Testing

struct FolderBlobStoreTests {
    @Test("scratch files a killed upload left behind are removed at start; a live upload's file is kept")
    func abandonedScratch() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("blobs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let scratch = folder.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let abandoned = scratch.appendingPathComponent("abandoned"), live = scratch.appendingPathComponent("live")
        try Data("half an upload".utf8).write(to: abandoned)
        try Data("an upload in progress".utf8).write(to: live)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-2 * 3600)], ofItemAtPath: abandoned.path)

        _ = try FolderBlobStore(folder: folder)
        #expect(!FileManager.default.fileExists(atPath: abandoned.path))
        #expect(FileManager.default.fileExists(atPath: live.path))
    }

    @Test("an upload the server cannot write is the store's failure (503 storage_unavailable), not a bad request")
    func unwritableScratch() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("blobs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try FolderBlobStore(folder: folder)
        // Removed rather than made read-only: the tests run as root, which writes anyway.
        try FileManager.default.removeItem(at: store.scratch)
        let chunks = AsyncStream<ByteBuffer> { $0.yield(ByteBuffer(string: "evidence")); $0.finish() }
        await #expect {
            _ = try await store.put(engagement: "e", sha256: String(repeating: "0", count: 64), limit: 1 << 20, chunks: chunks)
        } throws: { error in
            guard case .unavailable(let why)? = error as? BlobError else { return false }
            return why.contains("scratch")
        }
    }
}

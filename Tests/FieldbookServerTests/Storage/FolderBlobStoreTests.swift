@testable import FieldbookServer
import Foundation
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
}

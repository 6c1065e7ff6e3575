import Foundation
import Hummingbird
import NIOCore

/// Evidence files on the server's disk by SHA-256, one folder per engagement. A blob is
/// streamed to a scratch file while hashed and kept only when its bytes match its name.
/// Several processes share it only when they share the folder (one host, or a network file system).
public struct FolderBlobStore: BlobStore {
    /// The root folder: `<engagement>/<sha256>` files and a scratch folder.
    public let folder: URL

    public init(folder: URL) throws {
        self.folder = folder
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        removeAbandonedScratch()
    }

    var scratch: URL { folder.appendingPathComponent("tmp") }

    /// A process killed during an upload leaves its scratch file behind. Several processes may
    /// share the folder, so only files no upload has written to for an hour are removed (an
    /// upload in progress writes every chunk).
    func removeAbandonedScratch(idleSeconds: TimeInterval = 3600) {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: scratch.path) else { return }
        let cutoff = Date().addingTimeInterval(-idleSeconds)
        for name in names {
            let file = scratch.appendingPathComponent(name)
            if let modified = (try? fm.attributesOfItem(atPath: file.path))?[.modificationDate] as? Date, modified < cutoff {
                try? fm.removeItem(at: file)
            }
        }
    }

    /// Throws unless the folder is there and writable, for `/readyz`.
    public func check() async throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw BlobError.unavailable("the object folder \(folder.path) is missing")
        }
        guard FileManager.default.isWritableFile(atPath: folder.path) else {
            throw BlobError.unavailable("the object folder \(folder.path) is not writable")
        }
    }

    /// Engagement ids are checked by the caller (EntityID rules: no slashes, no dots alone).
    public func path(engagement: String, sha256: String) -> URL {
        folder.appendingPathComponent(engagement, isDirectory: true).appendingPathComponent(sha256)
    }

    /// The stored blob's size; nil when it is not held.
    public func size(engagement: String, sha256: String) async throws -> Int64? {
        (try? FileManager.default.attributesOfItem(atPath: path(engagement: engagement, sha256: sha256).path)[.size] as? NSNumber)?.int64Value
    }

    public func body(engagement: String, sha256: String, context: some RequestContext) async throws -> (size: Int64, body: ResponseBody)? {
        guard let size = try await size(engagement: engagement, sha256: sha256) else { return nil }
        return (size, try await FileIO().loadFile(path: path(engagement: engagement, sha256: sha256).path, context: context))
    }

    public func put<Chunks: AsyncSequence>(engagement: String, sha256: String, limit: Int64, chunks: Chunks) async throws -> BlobPutOutcome
    where Chunks.Element == ByteBuffer {
        let destination = path(engagement: engagement, sha256: sha256)
        let temporary = scratch.appendingPathComponent(UUID().uuidString)
        // The server's fault (its folder gone or read-only), not the request's: 503, never 400.
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw BlobError.unavailable("the server cannot write to its scratch folder \(scratch.path)")
        }
        defer { try? FileManager.default.removeItem(at: temporary) }
        let handle = try FileHandle(forWritingTo: temporary)
        var digest = BlobDigest(expected: sha256, limit: limit)
        do {
            for try await chunk in chunks {
                try digest.take(chunk)
                try chunk.withUnsafeReadableBytes { try handle.write(contentsOf: $0) }
            }
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            throw error
        }
        try digest.verify()
        if FileManager.default.fileExists(atPath: destination.path) { return .alreadyPresent }
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: temporary, to: destination)
        return .stored
    }
}

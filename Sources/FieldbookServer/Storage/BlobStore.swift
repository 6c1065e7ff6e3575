import Crypto
import FieldbookModel
import Foundation

/// Evidence files on the server's disk by SHA-256, one folder per engagement. A blob is
/// streamed to a scratch file while hashed and kept only when its bytes match its name.
public struct BlobStore: Sendable {
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
    public func check() throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw BlobError.unavailable("the object folder \(folder.path) is missing")
        }
        guard FileManager.default.isWritableFile(atPath: folder.path) else {
            throw BlobError.unavailable("the object folder \(folder.path) is not writable")
        }
    }

    /// Whether `text` is a SHA-256 in lowercase hex: the only names a blob route accepts.
    public static func isHash(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// Engagement ids are checked by the caller (EntityID rules: no slashes, no dots alone).
    public func path(engagement: String, sha256: String) -> URL {
        folder.appendingPathComponent(engagement, isDirectory: true).appendingPathComponent(sha256)
    }

    /// The stored blob's size; nil when it is not held.
    public func size(engagement: String, sha256: String) -> Int64? {
        (try? FileManager.default.attributesOfItem(atPath: path(engagement: engagement, sha256: sha256).path)[.size] as? NSNumber)?.int64Value
    }

    /// Whether `put` stored new bytes (HTTP 201) or held them already (200).
    public enum PutOutcome: Sendable { case stored, alreadyPresent }

    /// Streams `chunks` into place; refuses bytes that do not hash to `sha256` or exceed the limit.
    public func put<Chunks: AsyncSequence>(engagement: String, sha256: String, limit: Int64, chunks: Chunks) async throws -> PutOutcome
    where Chunks.Element == [UInt8] {
        let destination = path(engagement: engagement, sha256: sha256)
        let temporary = scratch.appendingPathComponent(UUID().uuidString)
        // The server's fault (its folder gone or read-only), not the request's: 503, never 400.
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw BlobError.unavailable("the server cannot write to its scratch folder \(scratch.path)")
        }
        defer { try? FileManager.default.removeItem(at: temporary) }
        let handle = try FileHandle(forWritingTo: temporary)
        var hasher = SHA256()
        var size: Int64 = 0
        do {
            for try await chunk in chunks {
                size += Int64(chunk.count)
                guard size <= limit else { throw BlobError.tooLarge(limit) }
                hasher.update(data: chunk)
                try handle.write(contentsOf: Data(chunk))
            }
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            throw error
        }
        let actual = Hex.string(hasher.finalize())
        guard actual == sha256 else { throw BlobError.hashMismatch(expected: sha256, actual: actual) }
        if FileManager.default.fileExists(atPath: destination.path) { return .alreadyPresent }
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: temporary, to: destination)
        return .stored
    }
}

/// An upload refused: larger than the limit (413), bytes that do not hash to their name (422),
/// or a store the server cannot use (503).
public enum BlobError: Error, Sendable, CustomStringConvertible {
    case tooLarge(Int64)
    case hashMismatch(expected: String, actual: String)
    case unavailable(String)

    public var description: String {
        switch self {
        case .unavailable(let why): why.prefix(1).uppercased() + why.dropFirst() + "."
        case .tooLarge(let limit): "The blob is larger than the \(limit) bytes this server accepts."
        case let .hashMismatch(expected, actual): "The blob's bytes hash to \(actual.prefix(12))..., not \(expected.prefix(12))...; nothing was kept."
        }
    }
}

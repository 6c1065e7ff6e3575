import Hummingbird
import NIOCore

/// Where the server keeps evidence objects (and libraries' bytes) by SHA-256, per engagement:
/// a folder every process shares (`FolderBlobStore`), or PostgreSQL itself
/// (`PostgresBlobStore`), so processes on several machines share nothing but the database.
/// Either streams: no object is ever whole in memory, and none is visible before its bytes
/// are all stored and hash to its name.
public protocol BlobStore: Sendable {
    /// The stored object's size; nil when it is not held.
    func size(engagement: String, sha256: String) async throws -> Int64?
    /// The object's bytes as a response body, read as it is sent; nil when it is not held.
    func body(engagement: String, sha256: String, context: some RequestContext) async throws -> (size: Int64, body: ResponseBody)?
    /// Streams `chunks` into place; refuses bytes that do not hash to `sha256` or exceed `limit`,
    /// keeping nothing of them.
    func put<Chunks: AsyncSequence>(engagement: String, sha256: String, limit: Int64, chunks: Chunks) async throws -> BlobPutOutcome
    where Chunks.Element == ByteBuffer
    /// Throws `BlobError.unavailable` unless objects can be stored now, for `/readyz`.
    func check() async throws
}

/// Whether a put stored new bytes (HTTP 201) or held them already (200).
public enum BlobPutOutcome: Sendable { case stored, alreadyPresent }

/// The names a blob route accepts.
public enum BlobName {
    /// Whether `text` is a SHA-256 in lowercase hex.
    public static func isHash(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

/// An upload refused: larger than the limit (413), or bytes that do not hash to their name
/// (422); or the store cannot be reached (503).
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

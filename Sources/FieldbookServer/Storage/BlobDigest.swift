import Crypto
import FieldbookModel
import NIOCore

/// What every store checks of an upload as it streams in: its size against the limit, chunk by
/// chunk, and at the end that its bytes hash to the name it was sent under.
struct BlobDigest {
    let expected: String
    let limit: Int64
    private var hasher = SHA256()
    private(set) var size: Int64 = 0

    init(expected: String, limit: Int64) {
        self.expected = expected
        self.limit = limit
    }

    /// Counts and hashes one chunk; throws as soon as the upload passes the limit.
    mutating func take(_ chunk: ByteBuffer) throws {
        size += Int64(chunk.readableBytes)
        guard size <= limit else { throw BlobError.tooLarge(limit) }
        chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
    }

    /// Throws unless the bytes taken hash to `expected`.
    func verify() throws {
        let actual = Hex.string(hasher.finalize())
        guard actual == expected else { throw BlobError.hashMismatch(expected: expected, actual: actual) }
    }
}

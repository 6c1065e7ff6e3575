import Foundation
import NIOCore

/// A file's bytes as an async sequence of chunks, so an object restored from a backup is
/// streamed into a store as an upload would be, never read whole.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let url: URL
    var chunkSize = 256 * 1024

    struct AsyncIterator: AsyncIteratorProtocol {
        let handle: FileHandle
        let chunkSize: Int

        mutating func next() async throws -> ByteBuffer? {
            guard let data = try handle.read(upToCount: chunkSize), !data.isEmpty else {
                try handle.close()
                return nil
            }
            return ByteBuffer(bytes: data)
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        // A file that cannot be opened reads as empty; its hash then fails the store's check.
        AsyncIterator(handle: (try? FileHandle(forReadingFrom: url)) ?? FileHandle.nullDevice, chunkSize: chunkSize)
    }
}

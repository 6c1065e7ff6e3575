import Crypto
import FieldbookModel
import Foundation
import ZIPFoundation

/// Writes the ZIP archive of a package: entries in the order given, files streamed in chunks
/// and hashed on the way, so memory stays flat for any evidence size and bytes that changed
/// since they were listed never reach the archive unnoticed.
enum PackageArchiveWriter {
    /// A file whose bytes are not what its manifest line says (changed or damaged on disk).
    struct Mismatch: Error {
        let path: String
    }

    static let chunkSize = 256 << 10

    /// Writes a new archive at `url` (which must not exist) and flushes it to the disk.
    static func write(_ entries: [PackageEntry], to url: URL, modified: Date) throws {
        try fill(url, entries, modified: modified)
        // The archive is closed (its FILE released) once `fill` returns; make it durable before the rename.
        let handle = try FileHandle(forUpdating: url)
        defer { try? handle.close() }
        try handle.synchronize()
    }

    private static func fill(_ url: URL, _ entries: [PackageEntry], modified: Date) throws {
        let archive = try Archive(url: url, accessMode: .create)
        for entry in entries {
            let method: CompressionMethod = entry.compressed ? .deflate : .none
            switch entry.source {
            case .bytes(let data):
                try archive.addEntry(with: entry.path, type: .file, uncompressedSize: entry.size, modificationDate: modified,
                                     compressionMethod: method, bufferSize: chunkSize) { position, size in
                    data.subdata(in: Int(position) ..< Int(position) + size)
                }
            case .file(let file):
                let input = try FileHandle(forReadingFrom: file)
                defer { try? input.close() }
                var hasher = SHA256()
                try archive.addEntry(with: entry.path, type: .file, uncompressedSize: entry.size, modificationDate: modified,
                                     compressionMethod: method, bufferSize: chunkSize) { _, size in
                    let chunk = try read(size, from: input, path: entry.path)
                    hasher.update(data: chunk)
                    return chunk
                }
                // Bytes beyond the listed size, or other bytes than listed: the file changed.
                guard try input.read(upToCount: 1)?.isEmpty ?? true, Hex.string(hasher.finalize()) == entry.sha256 else {
                    throw Mismatch(path: entry.path)
                }
            }
        }
    }

    /// Exactly `count` bytes (a short read before the listed size means the file shrank).
    private static func read(_ count: Int, from input: FileHandle, path: String) throws -> Data {
        var data = Data()
        while data.count < count {
            guard let chunk = try input.read(upToCount: count - data.count), !chunk.isEmpty else { throw Mismatch(path: path) }
            data.append(chunk)
        }
        return data
    }
}

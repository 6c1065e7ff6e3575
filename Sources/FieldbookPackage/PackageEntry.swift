import Crypto
import FieldbookModel
import Foundation

/// One file of a package as it is written: its path, its bytes (in memory, or a file streamed
/// in), its size and SHA-256 as the manifest lists them.
struct PackageEntry {
    enum Source {
        case bytes(Data)
        /// Streamed in chunks; the bytes must hash to `sha256` or the write fails.
        case file(URL)
    }

    let path: String
    let source: Source
    let size: Int64
    let sha256: String
    /// For evidence: the entity whose bytes these are.
    var evidenceID: String?
    /// Deflate it; off for what is compressed already (Word documents) and for evidence, kept
    /// byte for byte as stored so any unzip tool reads it fast.
    var compressed: Bool

    init(path: String, bytes: Data, compressed: Bool = true) {
        self.path = path
        source = .bytes(bytes)
        size = Int64(bytes.count)
        sha256 = Hex.string(SHA256.hash(data: bytes))
        self.compressed = compressed
    }

    init(path: String, file: URL, size: Int64, sha256: String, evidenceID: String? = nil, compressed: Bool) {
        self.path = path
        source = .file(file)
        self.size = size
        self.sha256 = sha256
        self.evidenceID = evidenceID
        self.compressed = compressed
    }

    var manifestLine: PackageManifest.File {
        PackageManifest.File(path: path, size: size, sha256: sha256, evidenceID: evidenceID)
    }

    /// Hashes a file by streaming it: its SHA-256 and size.
    static func hash(_ file: URL) throws -> (sha256: String, size: Int64) {
        let input = try FileHandle(forReadingFrom: file)
        defer { try? input.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            size += Int64(chunk.count)
        }
        return (Hex.string(hasher.finalize()), size)
    }
}

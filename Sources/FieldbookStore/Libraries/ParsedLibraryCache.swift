import Crypto
import FieldbookCatalogs
import Foundation

/// Pinned libraries as parsed, kept under `.fieldbook/cache/libraries/SHA256` so that a command
/// reads a library in its binary form (`LibraryBinaryForm`) instead of composing and checking
/// its YAML again: a workspace pinning libraries the size of CISO Assistant's SCF and NIST CSF
/// 2.0 took every command from 0.06 s to 0.50 s. The key is the SHA-256 of the canonical
/// bytes, so a new version is a new entry and an entry can never stand for other bytes. An
/// entry is written only from bytes that hashed right and read back whole; one that does not
/// decode, or names another hash, is ignored and written again. Deleting the folder loses
/// nothing.
struct ParsedLibraryCache: Sendable {
    let folder: URL
    let scratch: URL

    func path(for sha256: String) -> URL {
        folder.appendingPathComponent(sha256)
    }

    /// The document parsed from the bytes hashing to `sha256`, if an intact entry holds it.
    /// An entry is the canonical bytes' hash in hex, the SHA-256 of the body (so a flipped bit
    /// that still decodes is never taken for the library), then the body: the binary form.
    func document(sha256: String) -> LibraryDocument? {
        guard let data = FileManager.default.contents(atPath: path(for: sha256).path), data.count > 96,
              data.prefix(64).elementsEqual(sha256.utf8) else { return nil }
        let body = data.dropFirst(96)
        guard Data(SHA256.hash(data: body)) == data.dropFirst(64).prefix(32) else { return nil }
        return LibraryBinaryForm.decode(body)
    }

    /// Keeps a parsed document; a failure only costs the next command a parse, so it is not reported.
    func store(_ document: LibraryDocument, sha256: String) {
        let temporary = scratch.appendingPathComponent("library-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let body = LibraryBinaryForm.encode(document)
            try (Data(sha256.utf8) + Data(SHA256.hash(data: body)) + body).write(to: temporary)
            // rename(2): a reader sees the whole entry or none.
            guard rename(temporary.path, path(for: sha256).path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
        }
    }
}

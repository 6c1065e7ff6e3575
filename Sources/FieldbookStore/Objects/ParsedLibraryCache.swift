import FieldbookCatalogs
import Foundation

/// Pinned libraries as parsed, kept under `.fieldbook/cache/libraries/SHA256.json` so that a
/// command reads a library with a JSON decoder instead of composing and checking its YAML again
/// (a workspace pinning a library the size of CISO Assistant's SCF took every command from
/// 0.06 s to 0.50 s). The key is the SHA-256 of the canonical bytes, so a new version is a new
/// entry and an entry can never stand for other bytes. An entry is written only from bytes that
/// hashed right and read back whole; one that does not decode, or names another library, is
/// ignored and written again. Deleting the folder loses nothing.
struct ParsedLibraryCache: Sendable {
    let folder: URL
    let scratch: URL

    /// What an entry holds: the document and the hash it was parsed from.
    private struct Entry: Codable {
        let sha256: String
        let document: LibraryDocument
    }

    func path(for sha256: String) -> URL {
        folder.appendingPathComponent(sha256 + ".json")
    }

    /// The document parsed from the bytes hashing to `sha256`, if an intact entry holds it.
    func document(sha256: String) -> LibraryDocument? {
        guard let data = FileManager.default.contents(atPath: path(for: sha256).path),
              let entry = try? JSONDecoder().decode(Entry.self, from: data), entry.sha256 == sha256 else { return nil }
        return entry.document
    }

    /// Keeps a parsed document; a failure only costs the next command a parse, so it is not reported.
    func store(_ document: LibraryDocument, sha256: String) {
        guard let data = try? JSONEncoder().encode(Entry(sha256: sha256, document: document)) else { return }
        let temporary = scratch.appendingPathComponent("library-\(UUID().uuidString).json")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try data.write(to: temporary)
            // rename(2): a reader sees the whole entry or none.
            guard rename(temporary.path, path(for: sha256).path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
        }
    }
}

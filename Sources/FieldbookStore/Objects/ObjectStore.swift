import Crypto
import FieldbookModel
import Foundation

/// Evidence files and pinned libraries' canonical bytes by SHA-256 under `.fieldbook/objects/ab/cdef...`. A file is copied to a
/// scratch file while it is hashed, fsynced, then renamed into place, so an object is either
/// whole or absent, whatever moment the process dies.
public struct ObjectStore: Sendable {
    public let folder: URL
    public let scratch: URL

    public init(folder: URL, scratch: URL) {
        self.folder = folder
        self.scratch = scratch
    }

    /// A file as the object store keeps it: by the SHA-256 of its bytes, with its size.
    public struct StoredObject: Sendable, Equatable {
        public let sha256: String
        public let size: Int64
    }

    public func path(for sha256: String) -> URL {
        folder.appendingPathComponent(String(sha256.prefix(2)), isDirectory: true)
            .appendingPathComponent(String(sha256.dropFirst(2)))
    }

    public func contains(_ sha256: String) -> Bool {
        FileManager.default.fileExists(atPath: path(for: sha256).path)
    }

    /// Copies a file in, streaming (memory stays flat for any size), and returns its hash.
    /// With `expected`, bytes that hash to anything else are not kept (the returned hash then
    /// differs from it): a download is checked before it can touch the store.
    public func add(contentsOf source: URL, expected: String? = nil) throws -> StoredObject {
        let input: FileHandle
        do { input = try FileHandle(forReadingFrom: source) } catch {
            throw StoreError.invalid("The evidence file \(source.path) cannot be read; check its permissions.")
        }
        defer { try? input.close() }
        return try write(keepIf: { expected == nil || $0.sha256 == expected }) { output in
            var hasher = SHA256()
            var size: Int64 = 0
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
                try output.write(contentsOf: chunk)
                size += Int64(chunk.count)
            }
            return StoredObject(sha256: Self.hex(hasher.finalize()), size: size)
        }
    }

    /// Stores bytes held in memory (a library's canonical form) the same way: a scratch file,
    /// fsynced, renamed into place under its hash.
    public func add(_ data: Data) throws -> StoredObject {
        try write { output in
            try output.write(contentsOf: data)
            return StoredObject(sha256: Self.hex(SHA256.hash(data: data)), size: Int64(data.count))
        }
    }

    /// Hashes a stored object again and says whether its bytes still match its name.
    public func verify(_ sha256: String) -> ObjectCondition {
        guard let input = try? FileHandle(forReadingFrom: path(for: sha256)) else { return .missing }
        defer { try? input.close() }
        var hasher = SHA256()
        while let chunk = try? input.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return Self.hex(hasher.finalize()) == sha256 ? .intact : .damaged
    }

    /// What hashing a stored file again found: its bytes as recorded, changed, or gone.
    public enum ObjectCondition: String, Sendable { case intact, damaged, missing }

    private func write(keepIf keep: (StoredObject) -> Bool = { _ in true }, _ fill: (FileHandle) throws -> StoredObject) throws -> StoredObject {
        let fm = FileManager.default
        do {
            try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
            let temporary = scratch.appendingPathComponent("object-\(UUID().uuidString)")
            guard fm.createFile(atPath: temporary.path, contents: nil) else {
                throw StoreError.storageUnavailable("cannot create a file in \(scratch.path)")
            }
            defer { try? fm.removeItem(at: temporary) }
            let output = try FileHandle(forWritingTo: temporary)
            let object: StoredObject
            do {
                object = try fill(output)
                try output.synchronize()
                try output.close()
            } catch {
                try? output.close()
                throw error
            }
            let destination = path(for: object.sha256)
            guard keep(object), !fm.fileExists(atPath: destination.path) else { return object }
            do {
                try fm.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                try fm.moveItem(at: temporary, to: destination)
            } catch where !fm.fileExists(atPath: destination.deletingLastPathComponent().path) {
                // Another process took back its refused import and removed the (then empty)
                // fan-out folder between the two steps: make it again, once.
                try fm.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                try fm.moveItem(at: temporary, to: destination)
            }
            return object
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.storageUnavailable(Self.describe(error))
        }
    }

    static func describe(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("No space") || text.contains("ENOSPC") { return "the disk is full" }
        if text.contains("Read-only") || text.contains("EROFS") || text.contains("Permission") { return "the folder is read-only" }
        return (error as NSError).localizedDescription
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        Hex.string(digest)
    }
}

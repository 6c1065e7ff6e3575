import Foundation
import ZIPFoundation

/// A backup of a server as one ZIP file (`fieldbook-server backup`): a manifest, the SQLite
/// database copied through SQLite's online backup API while the server runs, and the object
/// folder. With PostgreSQL the database is the database's own tools' to copy (pg_dump, as
/// docs/deploy.md says); the file then holds the objects, which PostgreSQL does not hold.
///
/// The database is copied first, then the objects: objects are only ever added, and a change
/// naming one is taken only once it is stored, so every object the copied database names is in
/// the copy. The file is written beside its destination and renamed into place when complete.
public enum ServerBackup {
    public typealias Archive = ZIPFoundation.Archive
    public static let format = "fieldbook-server-backup"
    public static let version = 1
    static let manifestName = "manifest.json"
    static let databaseName = "server.sqlite"
    static let objectsFolder = "objects/"

    public struct Manifest: Codable, Sendable, Equatable {
        public var format: String
        public var version: Int
        /// `sqlite` (the database is in the file) or `postgres` (only the objects are).
        public var backend: String
        /// When it was taken, RFC 3339.
        public var created: String
        public var objects: Int
    }

    public struct Summary: Codable, Sendable {
        public let manifest: Manifest
        public let bytes: Int64
    }

    /// Writes the backup of `storage` (nil for PostgreSQL) and `objects` to `destination`.
    public static func write(sqlite storage: SQLiteServerStorage?, objects: URL, to destination: URL, created: String) throws -> Summary {
        let scratch = destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).partial")
        let database = scratch.appendingPathExtension("sqlite")
        defer {
            try? FileManager.default.removeItem(at: scratch)
            try? FileManager.default.removeItem(at: database)
        }
        if let storage { try storage.backup(to: database.path) }
        let archive = try Archive(url: scratch, accessMode: .create)
        if storage != nil { try archive.addEntry(with: databaseName, fileURL: database) }
        let files = objectFiles(in: objects)
        for file in files {
            try archive.addEntry(with: objectsFolder + file.relative, fileURL: file.url)
        }
        let manifest = Manifest(format: format, version: version, backend: storage == nil ? "postgres" : "sqlite", created: created,
                                objects: files.count)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(manifest)
        try archive.addEntry(with: manifestName, type: .file, uncompressedSize: Int64(data.count)) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
        try moveIntoPlace(scratch, destination)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: destination.path)[.size] as? Int64) ?? 0
        return Summary(manifest: manifest, bytes: bytes)
    }

    /// rename(2): the destination is the old file or the new one, never half of either.
    static func moveIntoPlace(_ source: URL, _ destination: URL) throws {
        guard rename(source.path, destination.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
        }
    }

    /// Every file under `folder`, with its path relative to it, sorted.
    static func objectFiles(in folder: URL) -> [(url: URL, relative: String)] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        let base = folder.standardizedFileURL.path + "/"
        var files: [(URL, String)] = []
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(base) else { continue }
            let relative = String(path.dropFirst(base.count))
            // Uploads in progress (FolderBlobStore's scratch files) are not objects yet.
            guard !relative.hasPrefix("tmp/") else { continue }
            files.append((url, relative))
        }
        return files.sorted { $0.1 < $1.1 }
    }

    /// Reads a backup's manifest; one sentence when the file is not a Fieldbook server backup.
    public static func manifest(of file: URL) throws -> (Archive, Manifest) {
        let archive: Archive
        do { archive = try Archive(url: file, accessMode: .read) } catch {
            throw BackupError.notABackup("\(file.path) is not a Fieldbook server backup (not a ZIP file)")
        }
        guard let entry = archive[manifestName] else {
            throw BackupError.notABackup("\(file.path) is not a Fieldbook server backup (it has no manifest)")
        }
        var data = Data()
        _ = try archive.extract(entry) { data.append($0) }
        guard let manifest = try? JSONDecoder().decode(Manifest.self, from: data), manifest.format == format else {
            throw BackupError.notABackup("\(file.path) is not a Fieldbook server backup (its manifest is not one)")
        }
        guard manifest.version <= version else {
            throw BackupError.notABackup("\(file.path) was written by a newer fieldbook-server (backup version \(manifest.version)); restore it with that release")
        }
        return (archive, manifest)
    }

    /// Restores the objects (added beside any already there: they are named by their hash) and,
    /// for a SQLite backup, the database to `database` (written beside it and renamed into place).
    public static func restore(_ archive: Archive, _ manifest: Manifest, database: URL?, objects: URL) throws {
        if manifest.backend == "sqlite", let database {
            guard let entry = archive[databaseName] else { throw BackupError.notABackup("the backup has no database") }
            let scratch = database.deletingLastPathComponent().appendingPathComponent(".\(database.lastPathComponent).\(UUID().uuidString).restoring")
            defer { try? FileManager.default.removeItem(at: scratch) }
            _ = try archive.extract(entry, to: scratch)
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database.path + suffix) }
            try moveIntoPlace(scratch, database)
        }
        for entry in archive where entry.path.hasPrefix(objectsFolder) && entry.type == .file {
            let relative = String(entry.path.dropFirst(objectsFolder.count))
            // Only the object store's own layout: no path leaves the folder.
            guard !relative.isEmpty, !relative.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }), !relative.hasPrefix("/") else {
                throw BackupError.notABackup("the backup names an object outside the object folder (\(entry.path))")
            }
            let target = objects.appendingPathComponent(relative)
            if FileManager.default.fileExists(atPath: target.path) { continue }
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            _ = try archive.extract(entry, to: target)
        }
    }
}

extension ServerBackup {
    /// Stores a backup's objects through `store` (PostgreSQL's, for `restore --objects database`):
    /// each is extracted to a scratch file, then streamed in, its hash checked like an upload's.
    /// Returns how many were new.
    public static func restoreObjects(_ archive: Archive, into store: any BlobStore) async throws -> Int {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fieldbook-restore-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        var stored = 0
        for entry in archive where entry.path.hasPrefix(objectsFolder) && entry.type == .file {
            let parts = entry.path.dropFirst(objectsFolder.count).split(separator: "/").map(String.init)
            guard parts.count == 2, BlobName.isHash(parts[1]) else {
                throw BackupError.notABackup("the backup holds \(entry.path), which is not an object (ENGAGEMENT/SHA256)")
            }
            try? FileManager.default.removeItem(at: scratch)
            _ = try archive.extract(entry, to: scratch)
            let outcome = try await store.put(engagement: parts[0], sha256: parts[1], limit: .max, chunks: FileChunks(url: scratch))
            if outcome == .stored { stored += 1 }
        }
        return stored
    }
}

public enum BackupError: Error, Sendable, CustomStringConvertible {
    case notABackup(String)

    public var description: String {
        switch self {
        case .notABackup(let why): why.prefix(1).uppercased() + why.dropFirst() + "."
        }
    }
}

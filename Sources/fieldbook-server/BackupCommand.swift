import ArgumentParser
import FieldbookModel
import FieldbookServer
import Foundation

/// `fieldbook-server backup -o FILE` and `fieldbook-server restore FILE`: the server's database
/// (SQLite; PostgreSQL's own tools for PostgreSQL) and its evidence objects, as one file.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the server (its SQLite database and evidence objects) into one file, while it runs.",
        discussion: "With PostgreSQL the file holds the objects; copy the database with pg_dump (docs/deploy.md).")

    @Option(name: .shortAndLong, help: "The backup file to write (replaced when it exists, only once the new one is complete).")
    var output: String
    @Option(help: "The evidence folder (default: the SQLite path + '.objects'; required with PostgreSQL, where 'database' means PostgreSQL holds them and pg_dump copies them).")
    var objects: String?
    @OptionGroup var storage: StorageOptions
    @Flag(help: "Print one JSON document.") var json = false

    func run() async throws {
        guard case .folder(let folder) = try ObjectsOption(objects, storage: storage) else {
            throw AdminError(status: 1, message: "With --objects database, PostgreSQL holds the evidence as well as the changes, so there is nothing for this command to copy: back up the database with pg_dump (docs/deploy.md).")
        }
        // A folder named by hand must be the server's; the default one is missing only before the first `serve`.
        var isObjectFolder: ObjCBool = false
        if objects != nil, !FileManager.default.fileExists(atPath: folder.path, isDirectory: &isObjectFolder) || !isObjectFolder.boolValue {
            throw AdminError(status: 2, message: "The evidence folder \(folder.path) does not exist; give the folder the server uses (--objects).")
        }
        let destination = URL(fileURLWithPath: output)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: destination.deletingLastPathComponent().path, isDirectory: &isFolder), isFolder.boolValue else {
            throw AdminError(status: 4, message: "The folder of \(output) does not exist; choose an existing folder.")
        }
        let summary: ServerBackup.Summary = try await storage.withStore { store in
            do {
                return try ServerBackup.write(sqlite: store as? SQLiteServerStorage, objects: folder, to: destination,
                                              created: Timestamps.rfc3339(milliseconds: Clock.now()))
            } catch {
                throw AdminError(status: 4, message: "The backup could not be written to \(output): \(error).")
            }
        }
        if json { try printJSON(summary); return }
        print("Wrote \(output): \(summary.manifest.backend == "sqlite" ? "the database and " : "")\(counted(summary.manifest.objects, "evidence object")) (\(summary.bytes) bytes).")
        if summary.manifest.backend == "postgres" {
            print("The PostgreSQL database is not in the file: copy it with pg_dump (docs/deploy.md).")
        }
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into the server's database and evidence folder (the server stopped).",
        discussion: "Refuses to replace a database that holds engagements unless --force is given.")

    @Argument(help: "The backup file (from 'fieldbook-server backup').") var file: String
    @Option(help: "The evidence folder (default: the SQLite path + '.objects'; required with PostgreSQL, where 'database' stores them in PostgreSQL).")
    var objects: String?
    @Flag(help: "Replace a database that holds engagements.") var force = false
    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let location = try ObjectsOption(objects, storage: storage)
        guard FileManager.default.fileExists(atPath: file) else {
            throw AdminError(status: 2, message: "The backup file \(file) does not exist; check the path.")
        }
        let (archive, manifest): (ZIPArchiveHandle, ServerBackup.Manifest)
        do {
            let read = try ServerBackup.manifest(of: URL(fileURLWithPath: file))
            (archive, manifest) = (ZIPArchiveHandle(read.0), read.1)
        } catch let error as BackupError {
            throw AdminError(status: 1, message: error.description)
        }
        if manifest.backend == "sqlite" && storage.isPostgres {
            throw AdminError(status: 1, message: "\(file) holds a SQLite server; restore it into a SQLite file (--database PATH), or move its data with the server's own sync.")
        }
        if manifest.backend == "sqlite", FileManager.default.fileExists(atPath: storage.path), !force {
            let holds = try await storage.withStore { store in try await (store as? SQLiteServerStorage)?.holdsData() ?? false }
            if holds {
                throw AdminError(status: 3, message: "The database \(storage.path) holds engagements; restoring would replace them. Give --force to replace it, or restore into a new path.")
            }
        }
        do {
            switch location {
            case .folder(let folder):
                try ServerBackup.restore(archive.archive, manifest, database: storage.isPostgres ? nil : URL(fileURLWithPath: storage.path), objects: folder)
            case .database:
                // A PostgreSQL server's objects, moved from a folder into the database: each hash checked as it is stored.
                let added = try await storage.withStore { store in
                    try await ServerBackup.restoreObjects(archive.archive, into: location.open(on: store))
                }
                print("\(counted(added, "evidence object")) stored in the database; the others were there already.")
            }
        } catch let error as AdminError {
            throw error
        } catch let error as BackupError {
            throw AdminError(status: 1, message: error.description)
        } catch {
            throw AdminError(status: 4, message: "The backup could not be restored: \(error).")
        }
        print("Restored \(file) (taken \(manifest.created)): \(manifest.backend == "sqlite" ? "the database and " : "")\(counted(manifest.objects, "evidence object")).")
        if manifest.backend == "postgres" {
            print("Restore the PostgreSQL database itself with psql or pg_restore (docs/deploy.md).")
        }
    }
}

/// The archive, carried across the manifest check (ZIPFoundation's `Archive` is a class).
struct ZIPArchiveHandle: @unchecked Sendable {
    let archive: ServerBackup.Archive
    init(_ archive: ServerBackup.Archive) { self.archive = archive }
}

import FieldbookServer
import Foundation

/// `--objects DIR|database`: where evidence objects live. A folder (by default beside the SQLite
/// file; with PostgreSQL named explicitly, since every process must share it), or, with
/// PostgreSQL only, `database`: the database itself, so processes on several machines share
/// nothing else.
enum ObjectsOption: Equatable {
    case folder(URL)
    case database

    /// The word that puts objects in the database; a folder named so is `./database`.
    static let databaseWord = "database"

    init(_ objects: String?, storage: StorageOptions) throws {
        if objects == Self.databaseWord {
            guard storage.isPostgres else {
                throw AdminError(status: 1, message: "--objects database keeps evidence in PostgreSQL, and \(storage.path) is a SQLite database; give a folder (default: the database path + '.objects').")
            }
            self = .database
            return
        }
        if storage.isPostgres && objects == nil {
            throw AdminError(status: 1, message: "With PostgreSQL, give --objects DIR (the evidence folder every server process shares) or --objects database.")
        }
        self = .folder(URL(fileURLWithPath: objects ?? storage.path + ".objects"))
    }

    /// The store the server reads and writes objects through, on `store` when the database holds them.
    func open(on store: any ServerStorage) async throws -> any BlobStore {
        switch self {
        case .folder(let folder):
            do {
                return try FolderBlobStore(folder: folder)
            } catch {
                throw AdminError(status: 4, message: "The evidence folder cannot be created: \(error.localizedDescription).")
            }
        case .database:
            // `init` let `database` through only with PostgreSQL.
            guard let postgres = store as? PostgresServerStorage else {
                throw AdminError(status: 1, message: "--objects database needs a PostgreSQL database.")
            }
            do {
                return try await PostgresBlobStore(storage: postgres)
            } catch {
                throw AdminError(status: 4, message: "\(error)")
            }
        }
    }
}

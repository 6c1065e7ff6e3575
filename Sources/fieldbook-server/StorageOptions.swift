import ArgumentParser
import FieldbookReplica
import FieldbookServer
import Foundation
import Logging

/// `--database PATH|postgres://USER@HOST:PORT/DB` (default `fieldbook-server.sqlite`, or
/// FIELDBOOK_SERVER_DATABASE): the store every command uses, so admin commands work on the
/// store `serve` uses, while it runs. PostgreSQL's password comes from the environment.
struct StorageOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The server database: a SQLite file or postgres://USER@HOST:PORT/DATABASE (default fieldbook-server.sqlite; also FIELDBOOK_SERVER_DATABASE).",
        discussion: "PostgreSQL reads its password from FIELDBOOK_POSTGRES_PASSWORD or PGPASSWORD."))
    var database: String?

    var path: String {
        database ?? ProcessInfo.processInfo.environment["FIELDBOOK_SERVER_DATABASE"] ?? "fieldbook-server.sqlite"
    }

    var isPostgres: Bool { PostgresLocation.isPostgres(path) }

    func open(logger: Logger = Logger(label: "fieldbook.storage")) async throws -> any ServerStorage {
        do {
            if isPostgres {
                return try await PostgresServerStorage(location: PostgresLocation(path), logger: logger)
            }
            return try SQLiteServerStorage(path: path)
        } catch let error as ServerError {
            switch error {
            case .unavailable: throw AdminError(status: 4, message: error.description)
            case .badRequest where isPostgres: throw AdminError(status: 1, message: error.description)
            default: throw AdminError(status: 3, message: error.description)
            }
        } catch {
            throw AdminError(status: 4, message: "The server database \(path) cannot be opened: \(error).")
        }
    }

    /// Opens the store, runs `body`, closes the store; a database that fails midway exits 4.
    func withStore<Result>(_ body: (any ServerStorage) async throws -> Result) async throws -> Result {
        let store = try await open()
        do {
            let result = try await body(store)
            await store.close()
            return result
        } catch ServerError.unavailable(let why) {
            await store.close()
            throw AdminError(status: 4, message: why)
        } catch {
            await store.close()
            throw error
        }
    }
}

enum Clock {
    static func now() -> UInt64 { UInt64(Date().timeIntervalSince1970 * 1000) }
}

func printJSON<T: Encodable>(_ value: T) throws {
    print(try JSONDocument.text(value))
}

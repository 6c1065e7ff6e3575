import ArgumentParser
import FieldbookServer
import Foundation

/// `--database PATH` (default `fieldbook-server.sqlite`, or FIELDBOOK_SERVER_DATABASE): the
/// store every command uses, so admin commands work on the store `serve` uses, while it runs.
struct StorageOptions: ParsableArguments {
    @Option(help: "The server database: a SQLite file (default fieldbook-server.sqlite; also FIELDBOOK_SERVER_DATABASE).")
    var database: String?

    var path: String {
        database ?? ProcessInfo.processInfo.environment["FIELDBOOK_SERVER_DATABASE"] ?? "fieldbook-server.sqlite"
    }

    func open() throws -> any ServerStorage {
        if path.hasPrefix("postgres://") || path.hasPrefix("postgresql://") {
            throw AdminError(status: 1, message: "This build stores on SQLite only; give --database a file path.")
        }
        do {
            return try SQLiteServerStorage(path: path)
        } catch let error as ServerError {
            throw AdminError(status: 3, message: error.description)
        } catch {
            throw AdminError(status: 4, message: "The server database \(path) cannot be opened: \(error).")
        }
    }
}

enum Clock {
    static func now() -> UInt64 { UInt64(Date().timeIntervalSince1970 * 1000) }
}

func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

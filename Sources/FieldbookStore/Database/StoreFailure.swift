import Foundation
import GRDB

/// Turns SQLite failures into `StoreError`s a user can act on.
enum StoreFailure {
    static func mapping<T>(path: String? = nil, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw translate(error, path: path)
        }
    }

    static func translate(_ error: DatabaseError, path: String?) -> StoreError {
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return .notFieldbookDatabase(path ?? "the workspace database")
        case .SQLITE_FULL:
            return .storageUnavailable("the disk is full")
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM:
            return .storageUnavailable("the workspace folder is read-only or cannot be opened")
        case .SQLITE_IOERR:
            return .storageUnavailable("the disk reported an I/O error")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .stateConflict("Another fieldbook command is writing this workspace; try again when it has finished.")
        default:
            return .storageUnavailable(error.message ?? "\(error)")
        }
    }
}

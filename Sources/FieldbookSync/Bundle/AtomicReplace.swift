import Foundation

/// Puts a finished file in place under its final name with one rename(2): a process killed
/// at any moment leaves either the old file or the new one, never neither. (Removing the old
/// file first, then moving, lost the remotes file to a kill in the fault harness.)
enum AtomicReplace {
    struct Failure: Error {
        let reason: String
    }

    static func move(_ temporary: URL, over destination: URL) throws {
        guard rename(temporary.path, destination.path) == 0 else {
            throw Failure(reason: String(cString: strerror(errno)))
        }
    }
}

import Crypto
import FieldbookModel
import Foundation
import ZIPFoundation

/// A package archive opened for checking, read as hostile: every entry's path is checked
/// (`EntryPath`), two entries one file system would take for the same file are refused, and
/// entries are hashed by streaming with a cap, so a lying size or a decompression bomb costs
/// at most the bytes the manifest promised.
struct PackageArchiveReader {
    /// No package of Fieldbook's comes near this many entries; more is refused before it costs memory.
    static let maximumEntries = 1_000_000

    /// The first entry that is unsafe or repeated, found while listing.
    struct ListingProblem {
        let path: String
        let reason: PackageVerification.Reason
        let detail: String
    }

    private let archive: Archive
    /// File entries by the exact bytes of their path.
    private(set) var files: [Data: Entry] = [:]
    /// Folder entries (no content), by path without the trailing `/`.
    private(set) var folders: Set<String> = []
    private(set) var problem: ListingProblem?
    /// Every CRC-32 the archive stores for each file entry (`StoredChecksums`), by path bytes.
    private var storedChecksums: [Data: [UInt32]] = [:]

    init(_ url: URL, shownAs path: String) throws {
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw PackageError.notAPackage(path, "it is not a ZIP archive")
        }
        var seen: Set<String> = []
        var count = 0
        let stored = StoredChecksums.read(url)
        for entry in archive {
            count += 1
            if let stored, count <= stored.count { storedChecksums[Data(entry.path.utf8)] = stored[count - 1] }
            guard count <= Self.maximumEntries else { throw PackageError.notAPackage(path, "it holds over \(Self.maximumEntries) entries") }
            guard problem == nil else { continue }
            let name = entry.path
            let isFolder = entry.type == .directory
            if entry.type == .symlink {
                problem = ListingProblem(path: name, reason: .unsafePath, detail: "is a symbolic link, which could point anywhere")
            } else if let why = EntryPath.problem(name, directory: isFolder) {
                problem = ListingProblem(path: name, reason: .unsafePath, detail: "has an unsafe path (\(why))")
            } else {
                let plain = isFolder && name.hasSuffix("/") ? String(name.dropLast()) : name
                if !seen.insert(EntryPath.collisionKey(plain)).inserted {
                    problem = ListingProblem(path: plain, reason: .duplicate,
                                             detail: "appears twice in the archive (or twice differing only in case), so tools could extract either copy")
                } else if isFolder {
                    folders.insert(plain)
                } else {
                    files[Data(name.utf8)] = entry
                }
            }
        }
    }

    func entry(_ path: String) -> Entry? { files[Data(path.utf8)] }

    /// Every file entry's path, sorted.
    var paths: [String] { files.values.map(\.path).sorted() }

    /// What streaming an entry found.
    enum Hashed: Equatable {
        case bytes(sha256: String, size: UInt64)
        /// More bytes than `limit`: reading stopped there.
        case tooLarge
        /// The entry's data does not decompress or ends early.
        case unreadable
        /// The bytes read, but a CRC-32 the archive stores for them does not match.
        case checksumMismatch
    }

    /// Whether `computed` is every CRC-32 the archive stores for `entry`.
    private func checksumHolds(_ entry: Entry, _ computed: CRC32) -> Bool {
        computed == entry.checksum && (storedChecksums[Data(entry.path.utf8)] ?? []).allSatisfy { $0 == computed }
    }

    /// Streams an entry through SHA-256 (and into `copy` when given), stopping past `limit` bytes.
    func hash(_ entry: Entry, limit: UInt64, copy: FileHandle? = nil) -> Hashed {
        struct OverLimit: Error {}
        var hasher = SHA256()
        var size: UInt64 = 0
        let computed: CRC32
        do {
            computed = try archive.extract(entry, bufferSize: 256 << 10, skipCRC32: false) { chunk in
                size += UInt64(chunk.count)
                guard size <= limit else { throw OverLimit() }
                hasher.update(data: chunk)
                try copy?.write(contentsOf: chunk)
            }
        } catch is OverLimit {
            return .tooLarge
        } catch {
            return .unreadable
        }
        guard checksumHolds(entry, computed) else { return .checksumMismatch }
        return .bytes(sha256: Hex.string(hasher.finalize()), size: size)
    }

    /// What reading a small entry found.
    enum Read: Equatable {
        case bytes(Data)
        /// More than the limit, or data that does not decompress.
        case unreadable
        /// The bytes read, but a CRC-32 the archive stores for them does not match.
        case checksumMismatch
    }

    /// A small entry's bytes (the manifest, the signature), read up to `limit`.
    func read(_ entry: Entry, limit: UInt64) -> Read {
        var data = Data()
        struct OverLimit: Error {}
        let computed: CRC32
        do {
            computed = try archive.extract(entry, bufferSize: 64 << 10, skipCRC32: false) { chunk in
                guard UInt64(data.count + chunk.count) <= limit else { throw OverLimit() }
                data.append(chunk)
            }
        } catch {
            return .unreadable
        }
        return checksumHolds(entry, computed) ? .bytes(data) : .checksumMismatch
    }
}

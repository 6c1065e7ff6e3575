import Crypto
import FieldbookModel
import FieldbookReplica
import Foundation

/// Reads a whole bundle before anything is applied: every record checked against the
/// limits, evidence files streamed to scratch files and hashed, and the end hash compared
/// with a hash of every byte read. Only a bundle that passes all of it is handed on. A sealed
/// bundle is read through its decrypting stream (`SealedInput`), so its plaintext never
/// touches the disk except as the verified evidence files.
public struct BundleReader {
    /// A bundle read whole and verified, ready to apply.
    public struct Contents {
        public let header: BundleHeader
        public let changes: [Change]
        /// `changes[i]`'s hash.
        public let hashes: [Data]
        /// Verified evidence files in scratch, by SHA-256; the caller moves or deletes them.
        public let objects: [String: URL]
    }

    let scratch: URL
    /// Opens sealed bundles; nil reads unsealed ones only.
    let identity: IdentityFile?

    public init(scratch: URL, identity: IdentityFile? = nil) {
        self.scratch = scratch
        self.identity = identity
    }

    /// Reads only the header (for `clone`, before a workspace exists); a sealed bundle only as
    /// far as its first chunk.
    public static func header(of file: URL, identity: IdentityFile? = nil) throws -> BundleHeader {
        var source = try ByteSource(file, identity: identity)
        defer { source.close() }
        try readStart(&source)
        let (type, length) = try readPrefix(&source)
        guard type == .header, length <= BundleFormat.maximumHeaderBytes else { throw BundleError.corrupted("it does not start with a header") }
        return try decodeHeader(try source.read(Int(length)))
    }

    /// Reads and verifies `file`; throws `BundleError` for anything wrong and leaves no scratch file behind.
    public func read(_ file: URL) throws -> Contents {
        var source = try ByteSource(file, identity: identity)
        defer { source.close() }
        var objects: [String: URL] = [:]
        do {
            try Self.readStart(&source)
            var header: BundleHeader?
            var changes: [Change] = []
            var hashes: [Data] = []
            while true {
                let (type, length) = try Self.readPrefix(&source)
                switch type {
                case .header:
                    guard header == nil, length <= BundleFormat.maximumHeaderBytes else { throw BundleError.corrupted("a second or oversized header") }
                    header = try Self.decodeHeader(try source.read(Int(length)))
                case .changes:
                    guard header != nil else { throw BundleError.corrupted("changes before the header") }
                    guard length <= BundleFormat.maximumChangeRecordBytes else { throw BundleError.corrupted("a change record declares \(length) bytes") }
                    do {
                        let batch = try ChangeBatch.decode(try source.read(Int(length)))
                        changes += batch.changes
                        hashes += batch.hashes ?? batch.changes.map(ChangeHash.of)
                    } catch let error as ReplicaError {
                        if case .unsupportedFormat = error { throw BundleError.newerFormat(UInt32(ChangeBatch.currentFormat + 1)) }
                        throw BundleError.corrupted(error.description)
                    }
                case .object:
                    guard header != nil else { throw BundleError.corrupted("an evidence file before the header") }
                    guard length >= 64, length - 64 <= BundleFormat.maximumObjectBytes else { throw BundleError.corrupted("an evidence record declares \(length) bytes") }
                    let (sha, url) = try readObject(&source, size: length - 64)
                    guard objects[sha] == nil else {
                        try? FileManager.default.removeItem(at: url)
                        throw BundleError.corrupted("the evidence file \(sha.prefix(12))... appears twice")
                    }
                    objects[sha] = url
                case .end:
                    let expected = Data(source.hasher.finalize())
                    guard length == 32 else { throw BundleError.corrupted("a malformed end record") }
                    let found = try source.read(32, hashed: false)
                    guard found == expected else { throw BundleError.integrityMismatch }
                    guard try source.atEnd() else { throw BundleError.corrupted("bytes after the end record") }
                    guard let header else { throw BundleError.corrupted("no header") }
                    guard changes.count == header.changeCount, objects.count == header.objectCount else {
                        throw BundleError.corrupted("the header announces \(header.changeCount) changes and \(header.objectCount) files, the bundle holds \(changes.count) and \(objects.count)")
                    }
                    return Contents(header: header, changes: changes, hashes: hashes, objects: objects)
                }
            }
        } catch {
            for url in objects.values { try? FileManager.default.removeItem(at: url) }
            throw error
        }
    }

    private func readObject(_ source: inout ByteSource, size: UInt64) throws -> (String, URL) {
        let sha = String(decoding: try source.read(64), as: UTF8.self)
        guard sha.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw BundleError.corrupted("an evidence file is named '\(sha.prefix(20))...', not by a SHA-256")
        }
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let url = scratch.appendingPathComponent("bundle-object-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: url.path, contents: nil), let output = try? FileHandle(forWritingTo: url) else {
            throw BundleError.cannotWrite("cannot create a scratch file in \(scratch.path)")
        }
        var hasher = SHA256()
        var remaining = size
        do {
            while remaining > 0 {
                let chunk = try source.read(Int(min(remaining, 1 << 20)))
                hasher.update(data: chunk)
                try output.write(contentsOf: chunk)
                remaining -= UInt64(chunk.count)
            }
            try output.synchronize()
            try output.close()
        } catch {
            try? output.close()
            try? FileManager.default.removeItem(at: url)
            throw error
        }
        guard Hex.string(hasher.finalize()) == sha else {
            try? FileManager.default.removeItem(at: url)
            throw BundleError.objectMismatch(sha)
        }
        return (sha, url)
    }

    static func readStart(_ source: inout ByteSource) throws {
        // A file too short to hold the mark is no bundle at all, not a truncated one; a sealed
        // bundle whose first chunk does not open says so.
        let magic: Data
        do { magic = try source.read(8) } catch BundleError.truncated where !source.isSealed { throw BundleError.notABundle }
        guard magic == BundleFormat.magic else { throw BundleError.notABundle }
        let version = try source.read(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard version <= BundleFormat.currentVersion else { throw BundleError.newerFormat(version) }
        guard version >= 1 else { throw BundleError.corrupted("format 0") }
    }

    static func readPrefix(_ source: inout ByteSource) throws -> (BundleFormat.RecordType, UInt64) {
        let typeByte = try source.read(1)[0]
        let length = try source.read(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard let type = BundleFormat.RecordType(rawValue: typeByte) else {
            throw BundleError.corrupted("an unknown record type \(typeByte)")
        }
        return (type, length)
    }

    static func decodeHeader(_ data: Data) throws -> BundleHeader {
        struct Version: Decodable { let format: UInt32 }
        if let version = try? JSONDecoder().decode(Version.self, from: data), version.format > BundleFormat.currentVersion {
            throw BundleError.newerFormat(version.format)
        }
        do {
            let header = try JSONDecoder().decode(BundleHeader.self, from: data)
            guard EntityID(header.engagement) != nil else { throw BundleError.corrupted("the engagement id does not parse") }
            guard SiteID(header.sender.site) != nil, header.sender.assessor.utf8.count <= ChangeValidation.maximumAuthorLength else {
                throw BundleError.corrupted("the sender's site id or name does not parse")
            }
            return header
        } catch let error as BundleError {
            throw error
        } catch {
            throw BundleError.corrupted("the header does not parse")
        }
    }
}

/// Buffered reading from a bundle file (unsealed as it is read), hashing what it reads
/// (except what the end record holds).
struct ByteSource {
    private let input: BundleInput
    private var buffer = Data()
    private var position = 0
    var hasher = SHA256()

    init(_ file: URL, identity: IdentityFile?) throws {
        input = try BundleInputs.open(file, identity: identity)
    }

    func close() { input.close() }

    var isSealed: Bool { input is SealedInput }

    mutating func read(_ count: Int, hashed: Bool = true) throws -> Data {
        var result = Data()
        result.reserveCapacity(count)
        while result.count < count {
            if position == buffer.count {
                guard let chunk = try input.read(upToCount: max(1 << 20, count - result.count)), !chunk.isEmpty else {
                    throw BundleError.truncated
                }
                buffer = chunk
                position = 0
            }
            let take = min(count - result.count, buffer.count - position)
            result.append(buffer[buffer.startIndex + position ..< buffer.startIndex + position + take])
            position += take
        }
        if hashed { hasher.update(data: result) }
        return result
    }

    mutating func atEnd() throws -> Bool {
        if position < buffer.count { return false }
        guard let chunk = try input.read(upToCount: 1) else { return true }
        return chunk.isEmpty
    }
}

import FieldbookReplica
import Foundation

/// The `/v1` wire format shared by the server and the sync client: one definition, so the
/// two sides cannot drift. Change batches travel in the binary `ChangeBatch` format, the
/// same encoding bundles use; small control documents travel as JSON. See docs/api.md.
public enum Wire {
    public static let version = "v1"
    public static let changesMediaType = "application/vnd.fieldbook.changes"
    public static let pullMediaType = "application/vnd.fieldbook.pull-page"
    /// Largest change batch a push may carry (and a pull page returns).
    public static let maximumBatchChanges = 5_000
    public static let maximumBatchBytes = 16 << 20
    public static let maximumBlobBytes: Int64 = 1 << 30

    public static var jsonEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

public struct HealthResponse: Codable, Sendable, Equatable {
    public let status: String
    public let version: String
    public init(status: String, version: String) {
        self.status = status
        self.version = version
    }
}

public struct EngagementInfo: Codable, Sendable, Equatable {
    public let id: String
    public let name: String
    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}

/// Asks for the changes the client lacks: everything the server holds that `vector` does
/// not, from server position `after` on.
public struct PullRequest: Codable, Sendable, Equatable {
    public let vector: VersionVector
    public let after: Int64
    public let limit: Int

    public init(vector: VersionVector, after: Int64 = 0, limit: Int = Wire.maximumBatchChanges) {
        self.vector = vector
        self.after = after
        self.limit = limit
    }
}

/// One page of a pull. `next` is the position to continue from; on the last page it is nil
/// and `vector` holds everything the server had when the page was cut.
public struct PullPage: Sendable, Equatable {
    public struct Meta: Codable, Sendable, Equatable {
        public let next: Int64?
        public let vector: VersionVector?
        public let count: Int
    }

    public let meta: Meta
    public let changes: [Change]

    public init(changes: [Change], next: Int64?, vector: VersionVector?) {
        meta = Meta(next: next, vector: vector, count: changes.count)
        self.changes = changes
    }

    /// `u32 big-endian length | meta JSON | binary change batch`.
    public func encoded() -> Data {
        let meta = (try? Wire.jsonEncoder.encode(self.meta)) ?? Data("{}".utf8)
        var data = Data(withUnsafeBytes(of: UInt32(meta.count).bigEndian, Array.init))
        data.append(meta)
        data.append(ChangeBatch(changes).encoded())
        return data
    }

    public static func decode(_ data: Data) throws -> PullPage {
        guard data.count >= 4 else { throw ReplicaError.malformed("the pull page is shorter than its header") }
        let length = Int(data.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        guard data.count >= 4 + length else { throw ReplicaError.malformed("the pull page ends early") }
        let meta: Meta
        do {
            meta = try JSONDecoder().decode(Meta.self, from: data.subdata(in: data.startIndex + 4 ..< data.startIndex + 4 + length))
        } catch {
            throw ReplicaError.malformed("the pull page's meta is not readable JSON (next, vector, count)")
        }
        let changes = try ChangeBatch.decode(data.subdata(in: data.startIndex + 4 + length ..< data.endIndex)).changes
        guard changes.count == meta.count else { throw ReplicaError.malformed("the pull page announces \(meta.count) changes and holds \(changes.count)") }
        return PullPage(changes: changes, next: meta.next, vector: meta.vector)
    }
}

public struct PushResponse: Codable, Sendable, Equatable {
    public let received: Int
    public let applied: Int
    public let duplicates: Int

    public init(received: Int, applied: Int, duplicates: Int) {
        self.received = received
        self.applied = applied
        self.duplicates = duplicates
    }
}

/// Every error answer: `{"error": {"message": "..."}}` (Hummingbird's shape), no stack traces.
public struct ErrorResponse: Codable, Sendable, Equatable {
    public struct Detail: Codable, Sendable, Equatable { public let message: String }
    public let error: Detail
}

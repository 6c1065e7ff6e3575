import Foundation
import Hummingbird
import Logging
import NIOCore
import PostgresNIO

/// Evidence objects in PostgreSQL (`serve --objects database`), so server processes on different
/// machines share nothing but the database. Tables from schema version 6 (`PostgresMigrations`).
///
/// An upload is written as it arrives, in parts of `partSize` bytes under an upload id of its
/// own, each part one short statement: memory holds one part, and a slow upload holds no pool
/// connection while it waits for the network. The object becomes visible in one insert into
/// `object`, only once every part is stored and the bytes hash to the name, so a reader never
/// sees a partial object. A refused or cut upload deletes its parts; those of a process that
/// died mid-upload are deleted by the next process to start, once nothing has written to them
/// for an hour (as `FolderBlobStore` does with scratch files). A download reads one part per
/// statement as the client takes the bytes.
public struct PostgresBlobStore: BlobStore {
    /// 256 KiB: few rows per object, little memory per upload or download in flight.
    static let partSize = 256 * 1024
    let storage: PostgresServerStorage

    /// The store over `storage`'s connection pool; removes abandoned uploads' parts.
    public init(storage: PostgresServerStorage, abandonedAfterSeconds: Int64 = 3600) async throws {
        self.storage = storage
        try await removeAbandonedUploads(idleMilliseconds: abandonedAfterSeconds * 1000)
    }

    private var logger: Logger { storage.logger }

    public func size(engagement: String, sha256: String) async throws -> Int64? {
        try await stored(engagement: engagement, sha256: sha256)?.size
    }

    /// The visible object's size, parts and upload id.
    private func stored(engagement: String, sha256: String) async throws -> (size: Int64, parts: Int, upload: String)? {
        try await run {
            try await $0.query("SELECT size, parts, upload FROM object WHERE engagement = \(engagement) AND sha256 = \(sha256)", logger: logger)
                .decode((Int64, Int, String).self).first(where: { _ in true }).map { (size: $0.0, parts: $0.1, upload: $0.2) }
        }
    }

    public func body(engagement: String, sha256: String, context: some RequestContext) async throws -> (size: Int64, body: ResponseBody)? {
        guard let object = try await stored(engagement: engagement, sha256: sha256) else { return nil }
        let body = ResponseBody(contentLength: Int(object.size)) { [self] writer in
            for part in 0..<object.parts {
                let bytes = try await run {
                    try await $0.query("SELECT bytes FROM object_part WHERE upload = \(object.upload) AND part = \(part)", logger: logger)
                        .decode(ByteBuffer.self).first(where: { _ in true })
                }
                // Parts are never deleted once their object is visible: a missing one is damage.
                guard let bytes else { throw BlobError.unavailable("part \(part) of object \(sha256.prefix(12))... is missing from the database") }
                try await writer.write(bytes)
            }
            try await writer.finish(nil)
        }
        return (object.size, body)
    }

    public func put<Chunks: AsyncSequence>(engagement: String, sha256: String, limit: Int64, chunks: Chunks) async throws -> BlobPutOutcome
    where Chunks.Element == ByteBuffer {
        var digest = BlobDigest(expected: sha256, limit: limit)
        // Held already: the bytes are still checked (a wrong name is refused either way), not stored.
        if try await stored(engagement: engagement, sha256: sha256) != nil {
            for try await chunk in chunks { try digest.take(chunk) }
            try digest.verify()
            return .alreadyPresent
        }
        let upload = UUID().uuidString.lowercased()
        do {
            var pending = ByteBuffer()
            pending.reserveCapacity(Self.partSize)
            var parts = 0
            for try await chunk in chunks {
                try digest.take(chunk)
                var chunk = chunk
                while let slice = chunk.readSlice(length: min(Self.partSize - pending.readableBytes, chunk.readableBytes)), slice.readableBytes > 0 {
                    pending.writeImmutableBuffer(slice)
                    if pending.readableBytes == Self.partSize {
                        try await write(upload: upload, part: parts, bytes: pending)
                        parts += 1
                        pending.clear()
                    }
                }
            }
            if pending.readableBytes > 0 {
                try await write(upload: upload, part: parts, bytes: pending)
                parts += 1
            }
            try digest.verify()
            let published = try await run {
                try await $0.query("""
                    INSERT INTO object (engagement, sha256, size, parts, upload, created)
                    VALUES (\(engagement), \(sha256), \(digest.size), \(parts), \(upload), \(Self.now()))
                    ON CONFLICT DO NOTHING RETURNING upload
                    """, logger: logger).collect()
            }
            guard published.isEmpty else { return .stored }
            // Another upload of the same bytes became visible first; this one's parts are spare.
            await discard(upload: upload)
            return .alreadyPresent
        } catch {
            await discard(upload: upload)
            throw error
        }
    }

    public func check() async throws {
        do {
            try await storage.ping()
        } catch {
            throw BlobError.unavailable("the database that holds the objects does not answer (\(error))")
        }
    }

    // MARK: Parts

    private func write(upload: String, part: Int, bytes: ByteBuffer) async throws {
        try await run {
            try await $0.query("""
                INSERT INTO object_part (upload, part, bytes, written) VALUES (\(upload), \(part), \(bytes), \(Self.now()))
                """, logger: logger).collect()
        }
    }

    /// Deletes a refused or superseded upload's parts. Runs in a task of its own, so a request
    /// cancelled because its client went away still cleans up; failing that (the database gone
    /// too), the next process to start removes them.
    private func discard(upload: String) async {
        let task = Task { [self] in
            try await run { try await $0.query("DELETE FROM object_part WHERE upload = \(upload)", logger: logger).collect() }
        }
        _ = try? await task.value
    }

    /// Parts of uploads that never became an object and that nothing has written to for
    /// `idleMilliseconds`: left by a process that died mid-upload. A live upload writes a part
    /// every 256 KiB, so it is never taken for abandoned.
    func removeAbandonedUploads(idleMilliseconds: Int64) async throws {
        let cutoff = Self.now() - idleMilliseconds
        try await run {
            try await $0.query("""
                DELETE FROM object_part WHERE upload IN (
                    SELECT upload FROM object_part GROUP BY upload HAVING max(written) < \(cutoff)
                    EXCEPT SELECT upload FROM object)
                """, logger: logger).collect()
        }
    }

    /// A statement on the pool; PostgreSQL's failures become `ServerError.unavailable` (503).
    private func run<Result>(_ body: (PostgresClient) async throws -> Result) async throws -> Result {
        do {
            return try await body(storage.client)
        } catch let error as BlobError {
            throw error
        } catch {
            throw PostgresServerStorage.describe(error, location: storage.location)
        }
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}

import Crypto
import FieldbookModel
import FieldbookReplica
import FieldbookStore
import Foundation

/// Writes a bundle file while hashing every byte, streaming evidence files in chunks so
/// memory stays flat. The file appears under its name only when complete (written to a
/// temporary name, fsynced, then renamed). With recipients, the whole file is sealed for them
/// on its way to the disk (`SealedOutput`), chunk by chunk.
public struct BundleWriter {
    public init() {}

    /// `FIELDBOOK_BUNDLE_CHANGES=json` writes change records as JSON (format 1) instead of
    /// the compact binary form: for reading a bundle by eye, and for the fixture generator
    /// (debug builds only).
    static var readableChanges: Bool { DebugEnvironment.value("FIELDBOOK_BUNDLE_CHANGES") == "json" }

    public func write(to destination: URL, header: BundleHeader, changes: [Change], objects: [(sha256: String, file: URL)],
                      sealedFor recipients: [Recipient] = []) throws {
        let fm = FileManager.default
        let temporary = destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).partial-\(UUID().uuidString)")
        guard fm.createFile(atPath: temporary.path, contents: nil), let handle = try? FileHandle(forWritingTo: temporary) else {
            throw BundleError.cannotWrite("cannot create a file in \(destination.deletingLastPathComponent().path)")
        }
        do {
            let output: BundleOutput = recipients.isEmpty ? PlainOutput(handle: handle) : try SealedOutput(handle: handle, recipients: recipients)
            var sink = HashingSink(output: output)
            var start = BundleFormat.magic
            start.append(contentsOf: withUnsafeBytes(of: header.format.bigEndian, Array.init))
            try sink.write(start)
            try sink.record(.header, JSONEncoder.sorted.encode(header))
            // Records are cut at signed changes, like pushes, so each carries what verifies it.
            for slice in BatchPlanner.batches(changes, limit: BundleFormat.changesPerRecord) {
                try sink.record(.changes, Self.readableChanges ? ChangeBatch(slice).encodedJSON() : ChangeBatch(slice).encoded())
            }
            for object in objects { try sink.object(sha256: object.sha256, file: object.file) }
            // The end record's prefix is hashed like every other byte; its digest is not.
            try sink.write(HashingSink.prefix(.end, length: 32))
            try sink.write(Data(sink.hasher.finalize()), hashed: false)
            try output.finish()
            try handle.synchronize()
            try handle.close()
            try AtomicReplace.move(temporary, over: destination)
        } catch let failure as AtomicReplace.Failure {
            try? fm.removeItem(at: temporary)
            throw BundleError.cannotWrite("the bundle could not be put in place at \(destination.path) (\(failure.reason))")
        } catch {
            try? handle.close()
            try? fm.removeItem(at: temporary)
            if let bundleError = error as? BundleError { throw bundleError }
            throw BundleError.cannotWrite("\(error.localizedDescription)")
        }
    }
}

/// The bundle's output that also feeds every byte to the bundle's SHA-256.
struct HashingSink {
    let output: BundleOutput
    var hasher = SHA256()

    mutating func write(_ data: Data, hashed: Bool = true) throws {
        if hashed { hasher.update(data: data) }
        try output.write(data)
    }

    mutating func record(_ type: BundleFormat.RecordType, _ payload: Data, hashed: Bool = true) throws {
        try write(Self.prefix(type, length: UInt64(payload.count)), hashed: hashed)
        try write(payload, hashed: hashed)
    }

    mutating func object(sha256: String, file: URL) throws {
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        let size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
        try write(Self.prefix(.object, length: 64 + size))
        try write(Data(sha256.utf8))
        let input = try FileHandle(forReadingFrom: file)
        defer { try? input.close() }
        var copied: UInt64 = 0
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
            try write(chunk)
            copied += UInt64(chunk.count)
        }
        guard copied == size else { throw BundleError.cannotWrite("the evidence file \(sha256.prefix(12)) changed while it was copied") }
    }

    static func prefix(_ type: BundleFormat.RecordType, length: UInt64) -> Data {
        var data = Data([type.rawValue])
        data.append(contentsOf: withUnsafeBytes(of: length.bigEndian, Array.init))
        return data
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder { JSONDocument.encoder(.compact) }
}

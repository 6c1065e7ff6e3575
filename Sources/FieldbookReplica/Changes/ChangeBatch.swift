import Foundation

/// The versioned, encoded form of a list of changes: what goes on the wire and into bundles.
/// Format 1 is JSON with sorted keys (readable, for debugging and documents); format 4 is
/// the compact binary form with hash-linked history (`BinaryBatchCodec`) written by default;
/// formats 3 (a signature per change) and 2 (unsigned) are still read. Both encode the same
/// changes to the same bytes every time, and a reader takes either.
public struct ChangeBatch: Sendable, Equatable, Codable {
    /// The newest format this build reads and writes.
    public static let currentFormat = 4
    /// The readable JSON form, for debugging and documents.
    public static let jsonFormat = 1

    public let format: Int
    public let changes: [Change]
    /// `changes[i]`'s `ChangeHash`, when the decoder computed them (format 4); not encoded.
    public let hashes: [Data]?

    public init(_ changes: [Change]) {
        format = Self.currentFormat
        self.changes = changes
        hashes = nil
    }

    private init(format: Int, changes: [Change], hashes: [Data]? = nil) {
        self.format = format
        self.changes = changes
        self.hashes = hashes
    }

    private enum CodingKeys: String, CodingKey { case format, changes }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(Int.self, forKey: .format)
        changes = try c.decode([Change].self, forKey: .changes)
        hashes = nil
    }

    public static func == (lhs: ChangeBatch, rhs: ChangeBatch) -> Bool {
        lhs.format == rhs.format && lhs.changes == rhs.changes
    }

    /// The compact binary form (format 4).
    public func encoded() -> Data {
        BinaryBatchCodec.encode(changes)
    }

    /// A segment of a workspace's stored log: format 4 with every link and signature the
    /// changes hold, no keys (`BinaryBatchCodec.encodeSegment`).
    public static func segment(_ changes: ArraySlice<Change>) -> Data {
        BinaryBatchCodec.encodeSegment(changes)
    }

    /// A stored segment's changes (their hashes are not computed: every link is written out).
    public static func decodeSegment(_ data: Data) throws(ReplicaError) -> [Change] {
        guard data.first == BinaryBatchCodec.format else { throw .malformed("a stored segment is not a format 4 change batch") }
        return try BinaryBatchCodec.decodeWithHashes(data, hashing: false).changes
    }

    /// Format 3, as releases before hash-linked history wrote it: for upgrade tests only.
    public func encodedLegacy() -> Data {
        BinaryBatchCodec.encodeLegacy(changes)
    }

    /// The JSON form (format 1), sorted keys.
    public func encodedJSON() -> Data {
        // Encoding plain values cannot fail.
        return try! JSONDocument.encode(ChangeBatch(format: Self.jsonFormat, changes: changes), .compact)
    }

    /// Decodes a batch in either format, refusing a newer format than this build reads.
    public static func decode(_ data: Data) throws(ReplicaError) -> ChangeBatch {
        guard let first = data.first else { throw .malformed("the change batch is empty") }
        if first == BinaryBatchCodec.format || first == BinaryBatchCodec.legacyFormat || first == BinaryBatchCodec.unsignedFormat {
            let (changes, hashes) = try BinaryBatchCodec.decodeWithHashes(data)
            return ChangeBatch(format: Int(first), changes: changes, hashes: hashes)
        }
        if first != UInt8(ascii: "{") && first != UInt8(ascii: " ") && first != UInt8(ascii: "\n") {
            throw first > BinaryBatchCodec.format && first < 32 ? .unsupportedFormat(Int(first), supported: currentFormat)
                : .malformed("the change batch is neither JSON nor a known binary format")
        }
        struct Header: Decodable { let format: Int }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: data)
        } catch {
            throw .malformed("the change batch is not readable JSON with a format number")
        }
        guard header.format == jsonFormat else {
            throw header.format > currentFormat ? .unsupportedFormat(header.format, supported: currentFormat)
                : .malformed("a JSON change batch must be format \(jsonFormat)")
        }
        do {
            return try JSONDecoder().decode(ChangeBatch.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            throw .malformed(context.debugDescription)
        } catch {
            throw .malformed(Self.describe(error))
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case let .keyNotFound(key, context)?:
            return "a change lacks '\(key.stringValue)' at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case let .typeMismatch(_, context)?, let .valueNotFound(_, context)?:
            return "\(context.debugDescription) at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        default:
            return "\(error)"
        }
    }
}

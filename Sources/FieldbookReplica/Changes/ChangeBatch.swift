import Foundation

/// The versioned, encoded form of a list of changes: what goes on the wire and into bundles.
/// Format 1 is JSON with sorted keys (readable, for debugging and documents); format 3 is
/// the compact binary form with keys and signatures (`BinaryBatchCodec`) written by default;
/// format 2, the same without signatures, is still read. Both encode the same
/// changes to the same bytes every time, and a reader takes either.
public struct ChangeBatch: Sendable, Equatable, Codable {
    /// The newest format this build reads and writes.
    public static let currentFormat = 3
    public static let jsonFormat = 1

    public let format: Int
    public let changes: [Change]

    public init(_ changes: [Change]) {
        format = Self.currentFormat
        self.changes = changes
    }

    private init(format: Int, changes: [Change]) {
        self.format = format
        self.changes = changes
    }

    /// The compact binary form (format 3).
    public func encoded() -> Data {
        BinaryBatchCodec.encode(changes)
    }

    /// The JSON form (format 1), sorted keys.
    public func encodedJSON() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain values cannot fail.
        return try! encoder.encode(ChangeBatch(format: Self.jsonFormat, changes: changes))
    }

    /// Decodes a batch in either format, refusing a newer format than this build reads.
    public static func decode(_ data: Data) throws(ReplicaError) -> ChangeBatch {
        guard let first = data.first else { throw .malformed("the change batch is empty") }
        if first == BinaryBatchCodec.format || first == BinaryBatchCodec.unsignedFormat {
            return ChangeBatch(format: Int(first), changes: try BinaryBatchCodec.decode(data))
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

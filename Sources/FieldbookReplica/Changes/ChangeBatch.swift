import Foundation

/// The versioned, encoded form of a list of changes: what goes on the wire and into bundles.
/// Format 1 is JSON with sorted keys, so the same changes always encode to the same bytes.
public struct ChangeBatch: Sendable, Equatable, Codable {
    public static let currentFormat = 1

    public let format: Int
    public let changes: [Change]

    public init(_ changes: [Change]) {
        format = Self.currentFormat
        self.changes = changes
    }

    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain values cannot fail.
        return try! encoder.encode(self)
    }

    /// Decodes a batch, refusing a newer format than this build understands.
    public static func decode(_ data: Data) throws(ReplicaError) -> ChangeBatch {
        struct Header: Decodable { let format: Int }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: data)
        } catch {
            throw .malformed("the change batch is not readable JSON with a format number")
        }
        guard header.format <= currentFormat else {
            throw .unsupportedFormat(header.format, supported: currentFormat)
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

import Foundation

/// A library as parsed, in a compact binary form that reads back in a few milliseconds: the
/// parsed-library cache's format. Not an exchange format: the canonical JSON
/// (`LibraryCanonicalForm`) is what is stored, hashed and sent; this form is derived from it
/// and can always be made again, so `decode` answers nil, never a guess, for bytes it does not
/// recognise whole (another format version, a truncated or damaged file).
///
/// Layout: the magic `FBLIB1`, then each field in declaration order. An integer is a LEB128
/// varint (zig-zag for signed values); a string its UTF-8 byte count and bytes; an optional a
/// byte 0 (absent) or 1 and the value; a flag one byte 0 or 1; a list its count and items. Only
/// the one encoding of each value is read (shortest varints, valid UTF-8, known relationships),
/// so whatever reads, re-encodes to the same bytes.
public enum LibraryBinaryForm {
    static let magic = Array("FBLIB1".utf8)

    public static func encode(_ document: LibraryDocument) -> Data {
        let writer = Writer()
        writer.bytes += magic
        writer.string(document.urn)
        writer.optional(document.locale, writer.string)
        writer.string(document.refID)
        writer.string(document.name)
        writer.optional(document.description, writer.string)
        writer.optional(document.copyright, writer.string)
        writer.int(document.version)
        writer.optional(document.provider, writer.string)
        writer.optional(document.packager, writer.string)
        writer.list(document.dependencies, writer.string)
        writer.optional(document.framework) { framework in
            writer.string(framework.urn)
            writer.string(framework.refID)
            writer.string(framework.name)
            writer.optional(framework.description, writer.string)
            writer.optional(framework.minScore, writer.int)
            writer.optional(framework.maxScore, writer.int)
            writer.list(framework.nodes) { node in
                writer.string(node.urn)
                writer.bytes.append(node.assessable ? 1 : 0)
                writer.int(node.depth)
                writer.optional(node.parentURN, writer.string)
                writer.optional(node.refID, writer.string)
                writer.optional(node.name, writer.string)
                writer.optional(node.description, writer.string)
                writer.optional(node.annotation, writer.string)
            }
        }
        writer.list(document.mappingSets) { set in
            writer.string(set.urn)
            writer.optional(set.refID, writer.string)
            writer.string(set.name)
            writer.optional(set.description, writer.string)
            writer.string(set.sourceFrameworkURN)
            writer.string(set.targetFrameworkURN)
            writer.list(set.mappings) { mapping in
                writer.string(mapping.sourceURN)
                writer.string(mapping.targetURN)
                writer.string(mapping.relationship.rawValue)
                writer.optional(mapping.rationale, writer.string)
                writer.optional(mapping.strength, writer.int)
            }
        }
        return Data(writer.bytes)
    }

    /// The document, or nil unless `data` is exactly one document in this form.
    public static func decode(_ data: Data) -> LibraryDocument? {
        data.withUnsafeBytes { raw -> LibraryDocument? in
            var reader = Reader(bytes: raw)
            guard reader.take(magic.count).map(Array.init) == magic else { return nil }
            let document = try? reader.document()
            return reader.atEnd ? document : nil
        }
    }

    /// A class, so the nested writes of lists and optionals can all append to it.
    private final class Writer {
        var bytes: [UInt8] = []

        func unsigned(_ value: UInt64) {
            var value = value
            while value >= 0x80 {
                bytes.append(UInt8(value & 0x7F) | 0x80)
                value >>= 7
            }
            bytes.append(UInt8(value))
        }

        func int(_ value: Int) {
            unsigned(UInt64(bitPattern: Int64((value << 1) ^ (value >> (Int.bitWidth - 1)))))
        }

        func string(_ value: String) {
            let utf8 = value.utf8
            unsigned(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }

        func optional<T>(_ value: T?, _ write: (T) -> Void) {
            guard let value else { bytes.append(0); return }
            bytes.append(1)
            write(value)
        }

        func list<T>(_ values: [T], _ write: (T) -> Void) {
            unsigned(UInt64(values.count))
            for value in values { write(value) }
        }
    }

    private struct Malformed: Error {}

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        var atEnd: Bool { offset == bytes.count }

        mutating func take(_ count: Int) -> UnsafeRawBufferPointer? {
            guard count >= 0, count <= bytes.count - offset else { return nil }
            defer { offset += count }
            return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
        }

        mutating func unsigned() throws -> UInt64 {
            var value: UInt64 = 0
            for shift in stride(from: 0, to: 64, by: 7) {
                guard offset < bytes.count else { throw Malformed() }
                let byte = bytes[offset]
                offset += 1
                value |= UInt64(byte & 0x7F) << UInt64(shift)
                // Only the shortest encoding of a value is read, so a form reads back one way.
                // The tenth byte holds the 64th bit only.
                guard shift < 63 || byte <= 1 else { throw Malformed() }
                if byte < 0x80 {
                    guard byte != 0 || shift == 0 else { throw Malformed() }
                    return value
                }
            }
            throw Malformed()
        }

        mutating func int() throws -> Int {
            let raw = try unsigned()
            return Int(truncatingIfNeeded: Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1))))
        }

        /// A count of items still to come: never more than the bytes left, so damage cannot
        /// make the reader reserve or loop beyond the file.
        mutating func count() throws -> Int {
            let value = try unsigned()
            guard value <= UInt64(bytes.count - offset) else { throw Malformed() }
            return Int(value)
        }

        mutating func string() throws -> String {
            guard let slice = take(try count()), let text = String(validating: slice, as: UTF8.self) else { throw Malformed() }
            return text
        }

        mutating func flag() throws -> Bool {
            guard let byte = take(1)?.first, byte <= 1 else { throw Malformed() }
            return byte == 1
        }

        mutating func optional<T>(_ read: (inout Reader) throws -> T) throws -> T? {
            try flag() ? try read(&self) : nil
        }

        mutating func list<T>(_ read: (inout Reader) throws -> T) throws -> [T] {
            let count = try count()
            var items: [T] = []
            // A damaged count cannot ask for more than a few items' room ahead of the bytes.
            items.reserveCapacity(min(count, 1_024))
            for _ in 0..<count { items.append(try read(&self)) }
            return items
        }

        mutating func document() throws -> LibraryDocument {
            LibraryDocument(
                urn: try string(), locale: try optional { try $0.string() }, refID: try string(), name: try string(),
                description: try optional { try $0.string() }, copyright: try optional { try $0.string() }, version: try int(),
                provider: try optional { try $0.string() }, packager: try optional { try $0.string() },
                dependencies: try list { try $0.string() }, framework: try optional { try $0.framework() },
                mappingSets: try list { try $0.mappingSet() })
        }

        mutating func framework() throws -> LibraryDocument.Framework {
            LibraryDocument.Framework(
                urn: try string(), refID: try string(), name: try string(), description: try optional { try $0.string() },
                minScore: try optional { try $0.int() }, maxScore: try optional { try $0.int() }, nodes: try list { try $0.node() })
        }

        mutating func node() throws -> LibraryDocument.Node {
            LibraryDocument.Node(
                urn: try string(), assessable: try flag(), depth: try int(), parentURN: try optional { try $0.string() },
                refID: try optional { try $0.string() }, name: try optional { try $0.string() },
                description: try optional { try $0.string() }, annotation: try optional { try $0.string() })
        }

        mutating func mappingSet() throws -> LibraryDocument.MappingSet {
            LibraryDocument.MappingSet(
                urn: try string(), refID: try optional { try $0.string() }, name: try string(),
                description: try optional { try $0.string() }, sourceFrameworkURN: try string(), targetFrameworkURN: try string(),
                mappings: try list { try $0.mapping() })
        }

        mutating func mapping() throws -> LibraryDocument.Mapping {
            let source = try string(), target = try string()
            guard let relationship = LibraryDocument.Relationship(rawValue: try string()) else { throw Malformed() }
            return LibraryDocument.Mapping(sourceURN: source, targetURN: target, relationship: relationship,
                                           rationale: try optional { try $0.string() }, strength: try optional { try $0.int() })
        }
    }
}

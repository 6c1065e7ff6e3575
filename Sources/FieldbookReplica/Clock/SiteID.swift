import Foundation

/// The identity of one replica (a workspace, a server): a UUID made when it is created.
public struct SiteID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The only stored property: a site id (and so a `Dot`) is 16 plain bytes, copied and
    /// hashed without reference counting (a received change is copied and hashed by dot many
    /// times on its way in; issue 33).
    public let uuid: UUID

    public init(_ uuid: UUID) {
        self.uuid = uuid
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Lowercase text form (made on each call; hot loops key by the site itself).
    public var text: String {
        let hex = Self.hexDigits
        return withUnsafeBytes(of: uuid.uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { buffer in
                var out = 0
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        buffer[out] = UInt8(ascii: "-")
                        out += 1
                    }
                    buffer[out] = hex[Int(byte >> 4)]
                    buffer[out + 1] = hex[Int(byte & 0x0F)]
                    out += 2
                }
                return out
            }
        }
    }

    /// Any case of UUID text; nil for anything else.
    public init?(_ text: String) {
        guard let uuid = UUID(uuidString: text) else { return nil }
        self.init(uuid)
    }

    /// A new site, for a new workspace or server.
    public static func random() -> SiteID { SiteID(UUID()) }

    public var description: String { text }
    /// The first eight hex digits, for people.
    public var short: String { String(text.prefix(8)) }

    /// The order of the text forms (fixed-length lowercase hex, hyphens in the same places), by
    /// comparing the bytes.
    public static func < (lhs: SiteID, rhs: SiteID) -> Bool {
        withUnsafeBytes(of: lhs.uuid.uuid) { left in
            withUnsafeBytes(of: rhs.uuid.uuid) { right in left.lexicographicallyPrecedes(right) }
        }
    }
    public static func == (lhs: SiteID, rhs: SiteID) -> Bool { lhs.uuid == rhs.uuid }
    public func hash(into hasher: inout Hasher) { hasher.combine(uuid) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let site = SiteID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text.prefix(40))' is not a site id (UUID)"))
        }
        self = site
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

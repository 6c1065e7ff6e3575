import Foundation

/// The identity of one replica (a workspace, a server): a UUID made when it is created.
public struct SiteID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let uuid: UUID
    /// Lowercase text form, also the tie-break order between sites.
    public let text: String

    public init(_ uuid: UUID) {
        self.uuid = uuid
        self.text = uuid.uuidString.lowercased()
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

    public static func < (lhs: SiteID, rhs: SiteID) -> Bool { lhs.text < rhs.text }
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

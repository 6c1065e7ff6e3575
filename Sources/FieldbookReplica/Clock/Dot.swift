/// The unique name of one change: the site that made it and that site's running count.
/// Counters start at 1 and have no gaps on the writing site.
public struct Dot: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let site: SiteID
    public let counter: UInt64

    public init(site: SiteID, counter: UInt64) {
        self.site = site
        self.counter = counter
    }

    public var description: String { "\(site.text)/\(counter)" }

    public static func < (lhs: Dot, rhs: Dot) -> Bool {
        lhs.site != rhs.site ? lhs.site < rhs.site : lhs.counter < rhs.counter
    }

    /// Encoded as `"site/counter"`.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let dot = Dot(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text.prefix(60))' is not a dot (site/counter)"))
        }
        self = dot
    }

    /// Reads `site/counter`; nil unless the site is a UUID and the counter in 1...`VersionVector.maximumCounter`.
    public init?(parsing text: String) {
        guard let slash = text.lastIndex(of: "/"),
              let site = SiteID(String(text[..<slash])),
              let counter = UInt64(text[text.index(after: slash)...]), counter > 0, counter <= VersionVector.maximumCounter else { return nil }
        self.init(site: site, counter: counter)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

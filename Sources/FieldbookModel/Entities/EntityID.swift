/// The id of one entity of an engagement. Results use `result:<requirement id>`, so two
/// assessors assessing the same requirement offline write the same entity; risks, evidence
/// and findings use a UUIDv7 made on the writing machine; the engagement uses its own id.
public struct EntityID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let rawValue: String

    public static let maximumLength = 128

    public init?(_ rawValue: String) {
        guard Self.isWellFormed(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// The result entity of a requirement. Engagement-scoped like every entity id: a
    /// workspace, a bundle and a server change log each hold exactly one engagement.
    public static func result(for requirement: RequirementID) -> EntityID {
        EntityID(unchecked: "result:" + requirement.qualified)
    }

    /// The requirement a result entity belongs to.
    public var resultRequirement: RequirementID? {
        guard rawValue.hasPrefix("result:") else { return nil }
        return RequirementID(qualified: String(rawValue.dropFirst("result:".count)))
    }

    /// The applicability entity of an Annex A control, derived like a result's.
    public static func applicability(for control: RequirementID) -> EntityID {
        EntityID(unchecked: "applicability:" + control.qualified)
    }

    /// The control an applicability entity belongs to.
    public var applicabilityControl: RequirementID? {
        guard rawValue.hasPrefix("applicability:") else { return nil }
        return RequirementID(qualified: String(rawValue.dropFirst("applicability:".count)))
    }

    /// The entity pinning a library: `library:` and the library's URN (lower-cased, as the
    /// library reader keeps URNs), one per URN, so every replica pins a library under the same
    /// id and two concurrent pins of different versions meet as a conflict. Nil when the URN
    /// does not fit an entity id (characters other than `A-Za-z0-9:._-`, or too long).
    public static func library(urn: String) -> EntityID? {
        let urn = urn.lowercased()
        guard !urn.isEmpty else { return nil }
        return EntityID("library:" + urn)
    }

    /// The URN of the library a library entity pins.
    public var libraryURN: String? {
        guard rawValue.hasPrefix("library:"), rawValue.count > "library:".count else { return nil }
        return String(rawValue.dropFirst("library:".count))
    }

    /// The revocation of a site (its id as `SiteID.text` writes it): one per site, so revoking
    /// it again (another last valid change) edits the same entity.
    public static func revocation(of site: String) -> EntityID? {
        EntityID("revocation:" + site)
    }

    /// The site a revocation entity revokes, as written in its id.
    public var revokedSite: String? {
        guard rawValue.hasPrefix("revocation:"), rawValue.count > "revocation:".count else { return nil }
        return String(rawValue.dropFirst("revocation:".count))
    }

    init(unchecked rawValue: String) { self.rawValue = rawValue }

    public static func isWellFormed(_ text: String) -> Bool {
        // "." and ".." would name folders (evidence is stored per engagement id).
        guard !text.isEmpty, text.utf8.count <= maximumLength, text != ".", text != ".." else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ":", ".", "-", "_": true
            default: false
            }
        }
    }

    public var description: String { rawValue }
    public static func < (lhs: EntityID, rhs: EntityID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = EntityID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "'\(text.prefix(40))' is not a valid entity id"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension EntityID {
    /// The shortest prefix (at least `minimum` characters) telling each id apart from the
    /// others given: how a report or sentence names a risk (`0193a3f2`) in a way the CLI's
    /// unique-prefix lookup reads back.
    public static func shortForms(_ ids: [EntityID], minimum: Int = 8) -> [EntityID: String] {
        let sorted = Set(ids).sorted()
        var forms: [EntityID: String] = [:]
        for (index, id) in sorted.enumerated() {
            // Characters shared with a neighbour in sorted order (no other id shares more).
            func shared(_ other: Int) -> Int {
                guard sorted.indices.contains(other) else { return 0 }
                return zip(id.rawValue, sorted[other].rawValue).prefix { $0 == $1 }.count
            }
            forms[id] = String(id.rawValue.prefix(max(minimum, shared(index - 1) + 1, shared(index + 1) + 1)))
        }
        return forms
    }
}

/// A requirement's stable, framework-namespaced identity: `nist-ai-rmf:GOVERN-1.1`,
/// `iso42001:6.1.2`, `iso42001:A.6.2.4`. Short forms typed by users are turned into
/// one of these by `RequirementIndex`.
public struct RequirementID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let framework: FrameworkID
    /// The id inside its framework, as the catalog spells it (`GOVERN-1.1`, `A.6.2.4`).
    public let local: String

    public init(framework: FrameworkID, local: String) {
        self.framework = framework
        self.local = local
    }

    /// Parses the fully qualified form only; short forms need the catalog to resolve.
    public init?(qualified text: String) {
        guard let colon = text.firstIndex(of: ":"),
              let framework = FrameworkID(rawValue: String(text[..<colon])) else { return nil }
        let local = String(text[text.index(after: colon)...])
        guard !local.isEmpty else { return nil }
        self.init(framework: framework, local: local)
    }

    /// `framework:local`, the form every JSON document and the change log carry.
    public var qualified: String { "\(framework.rawValue):\(local)" }
    public var description: String { qualified }

    /// Framework first, then natural number order (`A.6.2.10` after `A.6.2.9`).
    public static func < (lhs: RequirementID, rhs: RequirementID) -> Bool {
        if lhs.framework != rhs.framework { return lhs.framework < rhs.framework }
        return RequirementOrder.less(lhs.local, rhs.local)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = RequirementID(qualified: text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "'\(text)' is not a fully qualified requirement id such as nist-ai-rmf:GOVERN-1.1"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(qualified)
    }
}

/// Natural order of requirement numbers, so `A.6.2.10` sorts after `A.6.2.9` and
/// `10.1` after `9.3.3`, and clauses before Annex A.
enum RequirementOrder {
    static func less(_ a: String, _ b: String) -> Bool {
        let ka = key(a), kb = key(b)
        for (x, y) in zip(ka, kb) where x != y {
            switch (x, y) {
            case let (.number(m), .number(n)): return m < n
            case let (.word(m), .word(n)): return m < n
            case (.number, .word): return true
            case (.word, .number): return false
            }
        }
        return ka.count < kb.count
    }

    private enum Part: Equatable { case word(String), number(Int) }

    private static func key(_ text: String) -> [Part] {
        text.split(whereSeparator: { $0 == "." || $0 == "-" || $0 == " " }).map { piece in
            if let n = Int(piece) { .number(n) } else { .word(String(piece)) }
        }
    }
}

/// The closed set of values a field can hold. Encoded as a one-key object
/// (`{"t":"text"}`, `{"i":3}`, `{"e":"compliant"}`, `{"d":"2026-03-31"}`, `{"l":"nist-ai-rmf:MAP-1.1"}`,
/// `{"b":true}`) so the form is compact, self-describing and stable.
public enum FieldValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case text(String)
    case integer(Int64)
    case enumCase(String)
    /// A calendar date, `YYYY-MM-DD`.
    case date(String)
    /// The id of a requirement or entity.
    case link(String)
    case boolean(Bool)

    public var type: FieldValueType {
        switch self {
        case .text: .text
        case .integer: .integer
        case .enumCase: .enumCase
        case .date: .date
        case .link: .link
        case .boolean: .boolean
        }
    }

    /// The value as a user reads and types it.
    public var description: String {
        switch self {
        case .text(let s), .enumCase(let s), .date(let s), .link(let s): s
        case .integer(let n): String(n)
        case .boolean(let b): b ? "true" : "false"
        }
    }

    /// The JSON key: the value's `ValueTag` letter.
    private struct Key: CodingKey {
        let tag: ValueTag
        var stringValue: String { tag.letter }
        var intValue: Int? { nil }
        init(_ tag: ValueTag) { self.tag = tag }
        init?(stringValue: String) {
            guard let tag = ValueTag(letter: stringValue) else { return nil }
            self.tag = tag
        }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "a value has exactly one of the keys t, i, e, d, l, b"))
        }
        let payload: ValuePayload = switch key.tag.payloadKind {
        case .text: .text(try container.decode(String.self, forKey: key))
        case .integer: .integer(try container.decode(Int64.self, forKey: key))
        case .flag: .flag(try container.decode(Bool.self, forKey: key))
        }
        self.init(tag: key.tag, payload: payload)!
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        let key = Key(tag)
        switch payload {
        case .text(let s): try container.encode(s, forKey: key)
        case .integer(let n): try container.encode(n, forKey: key)
        case .flag(let b): try container.encode(b, forKey: key)
        }
    }
}

/// The type of a `FieldValue`, named in schema refusals ("takes a date value").
public enum FieldValueType: String, Sendable, Codable {
    case text, integer, enumCase = "enum", date, link, boolean

    /// "a text", "an integer": for messages.
    public var withArticle: String {
        (rawValue.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + rawValue
    }
}

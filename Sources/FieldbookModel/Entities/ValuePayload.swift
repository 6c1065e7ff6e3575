/// A value as every encoding writes it: its `ValueTag`, then a payload of one of three kinds.
/// The one place a value is split into parts (`FieldValue.payload`) and put back together
/// (`FieldValue(tag:payload:)`): the JSON form, the binary batch, the change hash and the
/// workspace's columns all go through here.
public enum ValuePayload: Sendable, Hashable {
    case text(String)
    case integer(Int64)
    case flag(Bool)

    /// Which payload follows a tag.
    public enum Kind: Sendable { case text, integer, flag }
}

extension ValueTag {
    /// The payload this tag's values carry: texts for text, choices, dates and links.
    public var payloadKind: ValuePayload.Kind {
        switch self {
        case .integer: .integer
        case .boolean: .flag
        case .text, .enumCase, .date, .link: .text
        }
    }
}

extension FieldValue {
    public var tag: ValueTag { ValueTag(type) }

    public var payload: ValuePayload {
        switch self {
        case .text(let s), .enumCase(let s), .date(let s), .link(let s): .text(s)
        case .integer(let n): .integer(n)
        case .boolean(let b): .flag(b)
        }
    }

    /// The value a tag and its payload stand for; nil when the payload is not of the tag's kind.
    public init?(tag: ValueTag, payload: ValuePayload) {
        switch (tag, payload) {
        case let (.text, .text(s)): self = .text(s)
        case let (.enumCase, .text(s)): self = .enumCase(s)
        case let (.date, .text(s)): self = .date(s)
        case let (.link, .text(s)): self = .link(s)
        case let (.integer, .integer(n)): self = .integer(n)
        case let (.boolean, .flag(b)): self = .boolean(b)
        default: return nil
        }
    }
}

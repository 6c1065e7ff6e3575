import Logging

/// A JSON value as the log writes it.
enum JSONText {
    case string(String)
    case number(String)
    case array([JSONText])
    case object([(String, JSONText)])

    init(_ value: Logger.Metadata.Value) {
        switch value {
        case .string(let text): self = .string(text)
        case .stringConvertible(let value):
            switch value {
            case let number as Int: self = .number(String(number))
            case let number as Double where number.isFinite: self = .number(String(number))
            default: self = .string(value.description)
            }
        case .array(let values): self = .array(values.map(JSONText.init))
        case .dictionary(let values): self = .object(values.sorted(by: { $0.key < $1.key }).map { ($0.key, JSONText($0.value)) })
        }
    }

    var bytes: [UInt8] {
        var out: [UInt8] = []
        write(into: &out)
        return out
    }

    func write(into out: inout [UInt8]) {
        switch self {
        case .string(let text): Self.quote(text, into: &out)
        case .number(let text): out.append(contentsOf: text.utf8)
        case .array(let values):
            out.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                value.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            for (index, (key, value)) in fields.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.quote(key, into: &out)
                out.append(UInt8(ascii: ":"))
                value.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A JSON string: quotes, backslashes and control characters escaped, so no value (a path, a
    /// header a client chose) can end the line or forge a field.
    static func quote(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: Array(#"\""#.utf8))
            case UInt8(ascii: "\\"): out.append(contentsOf: Array(#"\\"#.utf8))
            case UInt8(ascii: "\n"): out.append(contentsOf: Array(#"\n"#.utf8))
            case UInt8(ascii: "\r"): out.append(contentsOf: Array(#"\r"#.utf8))
            case UInt8(ascii: "\t"): out.append(contentsOf: Array(#"\t"#.utf8))
            case 0..<0x20, 0x7F:
                let hex = String(byte, radix: 16)
                out.append(contentsOf: Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8))
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

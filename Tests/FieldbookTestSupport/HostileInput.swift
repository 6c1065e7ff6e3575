import Foundation

/// What the hostile-input fixtures (`Fixtures/hostile/`) share across test targets: the
/// placeholders their text may hold, and the check that an error is one clear sentence.
public enum HostileInput {
    /// Expands `{name}` from `values`, `{repeat:TEXT:COUNT}` (TEXT repeated, for huge inputs made
    /// at test time) and `{byte:XX}` (one raw byte, for invalid UTF-8 or NUL); anything else stays.
    public static func expand(_ text: String, _ values: [String: String] = [:]) -> [UInt8] {
        var result: [UInt8] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            result += Array(rest[..<open].utf8)
            guard let close = rest[open...].firstIndex(of: "}") else { rest = rest[open...]; break }
            let key = String(rest[rest.index(after: open)..<close])
            if let value = values[key] {
                result += Array(value.utf8)
            } else if key.hasPrefix("byte:"), let byte = UInt8(key.dropFirst(5), radix: 16) {
                result.append(byte)
            } else if key.hasPrefix("repeat:"), let colon = key.lastIndex(of: ":"), colon > key.index(key.startIndex, offsetBy: 6),
                      let count = Int(key[key.index(after: colon)...]) {
                let unit = Array(key[key.index(key.startIndex, offsetBy: 7)..<colon].utf8)
                result.reserveCapacity(result.count + unit.count * count)
                for _ in 0..<count { result += unit }
            } else {
                // Not a placeholder (a JSON brace, say): keep the brace and look inside.
                result.append(UInt8(ascii: "{"))
                rest = rest[rest.index(after: open)...]
                continue
            }
            rest = rest[rest.index(after: close)...]
        }
        result += Array(rest.utf8)
        return result
    }

    /// Why `message` is not one clear sentence, or nil when it is: one line, not too long, no
    /// Swift internals, ending like a sentence, one sentence only.
    public static func notOneSentence(_ message: String, maximumLength: Int = 300) -> String? {
        if message.isEmpty { return "is empty" }
        if message.contains("\n") { return "spans several lines" }
        if message.count > maximumLength { return "is longer than \(maximumLength) characters" }
        for marker in ["DecodingError", "Swift.", "debugDescription", "Debug description", "CodingKeys", "Error Domain", "Optional(", "NSCocoa"]
        where message.contains(marker) { return "leaks Swift internals ('\(marker)')" }
        guard let last = message.last, ".?!)".contains(last) else { return "does not end like a sentence" }
        if message.hasSuffix("..") && !message.hasSuffix("...") { return "ends with a doubled full stop" }
        if message.range(of: #"[a-z0-9)]\. +[A-Z]"#, options: .regularExpression) != nil { return "holds more than one sentence" }
        return nil
    }
}

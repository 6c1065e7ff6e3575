/// Text made safe for an XML 1.0 document: the five markup characters escaped and the
/// characters XML 1.0 forbids outright (C0 controls other than tab, line feed and carriage
/// return, U+FFFE, U+FFFF) dropped. Every string from a workspace passes through here: an
/// assessor's note may hold anything, and one stray control character makes Word refuse the
/// whole file as corrupt.
enum XMLText {
    /// `text` as element content or as an attribute value (quotes escaped too, so one function serves both).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars where allowed(scalar) {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// XML 1.0's `Char` production; Swift strings never hold surrogates, so only these remain.
    static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: true
        case 0x0..<0x20, 0xFFFE, 0xFFFF: false
        default: true
        }
    }
}

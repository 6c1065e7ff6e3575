import Hummingbird

/// The id a request is logged under, answered in `X-Request-Id` and in error bodies, so the line
/// a client prints leads an operator to the server's log line.
enum RequestID {
    /// The id a client or a proxy in front of the server chose, if it is sane; otherwise the one
    /// Hummingbird made for the request (random per process, then counted).
    static func of(_ request: Request, generated: String) -> String {
        guard let incoming = request.headers[.xRequestID], isSane(incoming) else { return generated }
        return incoming
    }

    /// 1 to 64 letters, digits, '-', '_' or '.': whatever else it holds ends up in log lines and
    /// headers, so nothing that could forge a field or a line is taken.
    static func isSane(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count) && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."): true
            default: false
            }
        }
    }
}

extension HTTPFields.Element.Name {
    static let xRequestID = Self("X-Request-Id")!
}

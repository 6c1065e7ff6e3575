#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// HTTP/1.1 over a plain loopback socket, with the bytes exactly as given: request targets
/// holding NUL, raw '..', invalid UTF-8 or ten thousand characters (which URLSession would
/// normalise or refuse), any headers, and bodies sent whole even when the server answers early.
/// One request per connection (`Connection: close`); every wait is bounded by `timeout`.
enum RawHTTP {
    struct Response: Sendable {
        let status: Int
        let headers: [String: String]
        let body: Data

        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func send(port: Int, method: String, target: [UInt8], headers: [(String, [UInt8])] = [], body: Data? = nil,
                     timeout: TimeInterval = 60) throws -> Response {
        var request = Array("\(method) ".utf8) + target + Array(" HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n".utf8)
        for (name, value) in headers { request += Array("\(name): ".utf8) + value + Array("\r\n".utf8) }
        if let body, !headers.contains(where: { $0.0.lowercased() == "content-length" || $0.0.lowercased() == "transfer-encoding" }) {
            request += Array("Content-Length: \(body.count)\r\n".utf8)
        }
        request += Array("\r\n".utf8)

        let socket = try connect(port: port, timeout: timeout)
        defer { close(socket) }
        // A server may answer (413, 401) and close before reading the whole body: a failed send
        // is not the outcome, the answer read afterwards is.
        if write(socket, request), let body { _ = write(socket, Array(body)) }
        let raw = try readAll(socket)
        return try parse(raw, method: method)
    }

    /// Sends a request head announcing `declaredLength` body bytes, then only `sent` of them,
    /// and waits for the server to give up on the rest: the seconds until it closed the
    /// connection, and whatever it answered first.
    static func stall(port: Int, method: String, target: String, headers: [String: String] = [:], declaredLength: Int, sent: Int,
                      timeout: TimeInterval = 60) throws -> (seconds: TimeInterval, answer: [UInt8]) {
        let extra = headers.map { "\($0.key): \($0.value)\r\n" }.joined()
        let head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\(extra)Content-Length: \(declaredLength)\r\n\r\n"
        let socket = try connect(port: port, timeout: timeout)
        defer { close(socket) }
        let started = Date()
        _ = write(socket, Array(head.utf8) + [UInt8](repeating: 0x7B, count: sent))
        let answer = try readAll(socket, answerOptional: true)
        return (Date().timeIntervalSince(started), answer)
    }

    private static func connect(port: Int, timeout: TimeInterval) throws -> Int32 {
        #if canImport(Glibc)
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let socket = Darwin.socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard socket >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        var limit = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                #if canImport(Glibc)
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                #else
                Darwin.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                #endif
            }
        }
        guard connected == 0 else {
            close(socket)
            throw Failure(description: "the server on port \(port) refused the connection (errno \(errno)): it is not running")
        }
        return socket
    }

    /// Writes everything; false when the peer closed or reset the connection first.
    private static func write(_ socket: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { buffer in
                #if canImport(Glibc)
                Glibc.send(socket, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
                #else
                Darwin.send(socket, buffer.baseAddress, buffer.count, 0)
                #endif
            }
            if sent <= 0 {
                if sent < 0 && errno == EINTR { continue }
                return false
            }
            offset += sent
        }
        return true
    }

    /// Reads until the server closes. With `answerOptional`, a close (or reset) without any
    /// answer is an outcome, not a failure; a timeout always is.
    private static func readAll(_ socket: Int32, answerOptional: Bool = false) throws -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count > 0 { result += buffer[0..<count]; continue }
            if count == 0 { return result }
            if errno == EINTR { continue }
            // A reset after the answer arrived still leaves the answer.
            if !result.isEmpty || (answerOptional && errno == ECONNRESET) { return result }
            throw Failure(description: errno == EAGAIN || errno == EWOULDBLOCK
                ? "no answer before the timeout" : "the connection failed with errno \(errno) before any answer (did the server die?)")
        }
    }

    private static func parse(_ raw: [UInt8], method: String) throws -> Response {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = raw.firstRange(of: separator) else {
            throw Failure(description: raw.isEmpty ? "the server closed the connection without answering (did it die?)"
                : "the answer has no header end: \(String(decoding: raw.prefix(200), as: UTF8.self))")
        }
        let head = String(decoding: raw[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw Failure(description: "bad status line '\(head[0])'") }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(raw[end.upperBound...])
        if method == "HEAD" {
            body = []
        } else if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            body = try dechunk(body)
        } else if let length = headers["content-length"].flatMap(Int.init), length <= body.count {
            body = Array(body.prefix(length))
        }
        return Response(status: status, headers: headers, body: Data(body))
    }

    private static func dechunk(_ bytes: [UInt8]) throws -> [UInt8] {
        var result: [UInt8] = []
        var position = 0
        let crlf: [UInt8] = [13, 10]
        while position < bytes.count {
            guard let lineEnd = bytes[position...].firstRange(of: crlf) else { break }
            let sizeText = String(decoding: bytes[position..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw Failure(description: "bad chunk size '\(sizeText)'")
            }
            if size == 0 { break }
            let start = lineEnd.upperBound
            guard start + size <= bytes.count else { throw Failure(description: "a chunk runs past the answer") }
            result += bytes[start..<start + size]
            position = start + size + 2
        }
        return result
    }
}

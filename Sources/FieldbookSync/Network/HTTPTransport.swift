import FieldbookModel
import FieldbookWire
import Foundation

/// Requests to one server through libcurl (`CurlTransfer`), with the bearer token, JSON error
/// bodies turned into `SyncError`s, and a count of the bytes sent and received. No network
/// fault can end the process: every one arrives as a `SyncError`.
public final class HTTPTransport: @unchecked Sendable {
    let base: URL
    let token: String?
    let timeout: Int
    /// A private CA's certificates (PEM) trusted for this server instead of the system's.
    let caCertificates: Data?
    /// Whether a token may go to a host that is not loopback over plain `http://`.
    let allowInsecureHTTP: Bool
    private let lock = NSLock()
    private var sent = 0
    private var received = 0
    private var requests = 0
    private var statedProtocol: ProtocolVersion?
    private var statedEngagementKey: Data?

    public init(base: URL, token: String?, timeout: TimeInterval = 60, caCertificates: Data? = nil, allowInsecureHTTP: Bool = false) {
        self.base = base
        self.token = token
        self.timeout = max(1, Int(timeout))
        self.caCertificates = caCertificates
        self.allowInsecureHTTP = allowInsecureHTTP
    }

    /// Body bytes sent and received and requests made so far (the sync summary's figures).
    public var traffic: (sent: Int, received: Int, requests: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (sent, received, requests)
    }

    /// The protocol the server stated in its last answer (protocol 1 when it stated none: a
    /// server of Fieldbook 0.1); nil before any answer.
    public var serverProtocol: ProtocolVersion? {
        lock.lock()
        defer { lock.unlock() }
        return statedProtocol
    }

    /// The engagement's key as the server last stated it (`Fieldbook-Engagement-Key`); nil
    /// while no answer carried one (a server before revocations, or no engagement route yet).
    public var engagementKey: Data? {
        lock.lock()
        defer { lock.unlock() }
        return statedEngagementKey
    }

    private func count(_ outcome: CurlTransfer.Outcome) {
        lock.lock()
        statedProtocol = Wire.statedProtocol(outcome.protocolHeader)
        if let stated = outcome.engagementKeyHeader.flatMap({ Data(base64Encoded: $0.trimmingCharacters(in: .whitespaces)) }), stated.count == 32 {
            statedEngagementKey = stated
        }
        sent += outcome.bytesSent
        received += outcome.bytesReceived
        requests += 1
        lock.unlock()
    }

    func url(_ path: String) -> URL {
        base.appendingPathComponent("v1").appendingPathComponent(path)
    }

    private func transfer(_ method: String, _ path: String, contentType: String? = nil) -> CurlTransfer {
        var headers = ["User-Agent: fieldbook/\(FieldbookRelease.version)", "\(Wire.protocolHeader): \(ProtocolVersion.current.rawValue)"]
        if let token { headers.append("Authorization: Bearer \(token)") }
        if let contentType { headers.append("Content-Type: \(contentType)") }
        return CurlTransfer(method: method, url: url(path), headers: headers, timeout: timeout, caCertificates: caCertificates)
    }

    /// Sends a request; answers 2xx, 404 on HEAD, and otherwise throws the mapped error.
    @discardableResult
    public func send(_ method: String, _ path: String, body: Data? = nil, contentType: String? = nil,
                     allowNotFound: Bool = false) async throws -> (Data, Int) {
        var request = transfer(method, path, contentType: contentType)
        if let body { request.body = .data(body) }
        let outcome = try await exchange(request)
        if allowNotFound && outcome.status == 404 { return (outcome.data, 404) }
        try check(outcome.status, outcome.data)
        return (outcome.data, outcome.status)
    }

    /// Sends a file as the body of a PUT, streamed from disk (evidence files).
    public func upload(_ path: String, file: URL) async throws {
        var request = transfer("PUT", path, contentType: "application/octet-stream")
        request.body = .file(file)
        let outcome = try await exchange(request)
        try check(outcome.status, outcome.data)
    }

    /// Downloads to a temporary file, streamed to disk (the caller verifies and moves it).
    public func download(_ path: String) async throws -> URL {
        let location = FileManager.default.temporaryDirectory.appendingPathComponent("fieldbook-download-\(UUID().uuidString)")
        var request = transfer("GET", path)
        request.sink = .file(location)
        do {
            let outcome = try await exchange(request)
            if !(200..<300).contains(outcome.status) {
                try check(outcome.status, (try? Data(contentsOf: location)) ?? Data())
            }
            return location
        } catch {
            try? FileManager.default.removeItem(at: location)
            throw error
        }
    }

    /// Runs one transfer off the cooperative pool (libcurl blocks its thread).
    private func exchange(_ request: CurlTransfer) async throws -> CurlTransfer.Outcome {
        try TransportSecurity.check(request.url, sendsToken: token != nil, allowInsecureHTTP: allowInsecureHTTP)
        let host = base.host ?? base.absoluteString, address = base.absoluteString
        let outcome: CurlTransfer.Outcome = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async(execute: DispatchWorkItem {
                let result: Result<CurlTransfer.Outcome, SyncError>
                do throws(CurlTransfer.Failure) {
                    result = .success(try request.perform())
                } catch {
                    result = .failure(error.isTLS ? .untrustedServer(host, error.message) : .unreachable(address, error.message))
                }
                continuation.resume(with: result)
            })
        }
        count(outcome)
        return outcome
    }

    private func check(_ status: Int, _ data: Data) throws {
        guard !(200..<300).contains(status) else { return }
        let detail = (try? JSONDecoder().decode(ErrorResponse.self, from: data))?.error
        let text = detail?.message ?? Self.reasonPhrase(status), code = detail?.wireCode
        // The server's id for the request, so an operator finds its log line (docs/deploy.md, "Logs").
        let requestID = detail?.requestID.map { "request id \($0.prefix(64))" }
        let message = Self.noting(text, [requestID])
        switch status {
        case 401, 403, 429: throw SyncError.refused(message, code: code)
        case 404: throw SyncError.noSuchEngagement(message)
        case 409, 422: throw SyncError.rejected(message, code: code)
        case 426: throw SyncError.rejected(message, code: code ?? .upgradeRequired)
        case 400, 413: throw SyncError.rejected(Self.noting(text, ["HTTP \(status)", requestID]), code: code)
        default: throw SyncError.serverFailure("HTTP \(status): \(message)")
        }
    }

    /// The server's sentence with notes in brackets before its full stop: "The batch is too large
    /// (HTTP 413, request id 3f2a...)." Without notes, the sentence as it came.
    static func noting(_ sentence: String, _ notes: [String?]) -> String {
        let notes = notes.compactMap { $0 }
        guard !notes.isEmpty else { return sentence }
        let stop = sentence.hasSuffix(".") ? "." : ""
        return "\(sentence.dropLast(stop.count)) (\(notes.joined(separator: ", ")))\(stop)"
    }

    /// The words for a status whose answer carried no JSON error (a proxy's page, say).
    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 400: "bad request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not found"
        case 409: "conflict"
        case 413: "request too large"
        case 422: "unprocessable"
        case 429: "too many requests"
        case 500: "internal server error"
        case 502: "bad gateway"
        case 503: "service unavailable"
        case 504: "gateway timeout"
        default: "HTTP \(status)"
        }
    }
}

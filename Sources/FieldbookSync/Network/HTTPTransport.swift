import FieldbookWire
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Requests to one server over URLSession (libcurl on Linux), with the bearer token, JSON
/// error bodies turned into `SyncError`s, and a count of the bytes sent and received.
public final class HTTPTransport: @unchecked Sendable {
    let base: URL
    let token: String?
    let session: URLSession
    private let lock = NSLock()
    private var sent = 0
    private var received = 0
    private var requests = 0

    public init(base: URL, token: String?, timeout: TimeInterval = 60) {
        self.base = base
        self.token = token
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.httpAdditionalHeaders = ["User-Agent": "fieldbook/0.1"]
        session = URLSession(configuration: configuration)
    }

    /// Body bytes sent and received and requests made so far (the sync summary's figures).
    public var traffic: (sent: Int, received: Int, requests: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (sent, received, requests)
    }

    private func count(sent: Int, received: Int) {
        lock.lock()
        self.sent += sent
        self.received += received
        requests += 1
        lock.unlock()
    }

    func url(_ path: String) -> URL {
        base.appendingPathComponent("v1").appendingPathComponent(path)
    }

    func makeRequest(_ method: String, _ path: String, contentType: String? = nil) -> URLRequest {
        var request = URLRequest(url: url(path))
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        return request
    }

    /// Sends a request; answers 2xx, 404 on HEAD, and otherwise throws the mapped error.
    @discardableResult
    public func send(_ method: String, _ path: String, body: Data? = nil, contentType: String? = nil,
                     allowNotFound: Bool = false) async throws -> (Data, Int) {
        var request = makeRequest(method, path, contentType: contentType)
        request.httpBody = body
        let (data, response) = try await perform(request)
        count(sent: body?.count ?? 0, received: data.count)
        if allowNotFound && response.statusCode == 404 { return (data, 404) }
        try check(response, data)
        return (data, response.statusCode)
    }

    /// Sends a file as the body of a PUT, streamed from disk (evidence files).
    public func upload(_ path: String, file: URL) async throws {
        let request = makeRequest("PUT", path, contentType: "application/octet-stream")
        let (data, response): (Data, HTTPURLResponse) = try await withCheckedThrowingContinuation { continuation in
            session.uploadTask(with: request, fromFile: file) { data, response, error in
                Self.resume(continuation, data, response, error, base: self.base)
            }.resume()
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.intValue ?? 0
        count(sent: size, received: data.count)
        try check(response, data)
    }

    /// Downloads to a temporary file (the caller verifies and moves it).
    public func download(_ path: String) async throws -> URL {
        let request = makeRequest("GET", path)
        let (location, response): (URL, HTTPURLResponse) = try await withCheckedThrowingContinuation { continuation in
            session.downloadTask(with: request) { url, response, error in
                if let error { continuation.resume(throwing: Self.transportError(error, base: self.base)); return }
                guard let url, let http = response as? HTTPURLResponse else {
                    continuation.resume(throwing: SyncError.serverFailure("no answer"))
                    return
                }
                // The system removes its file when this closure returns: keep a copy.
                let kept = FileManager.default.temporaryDirectory.appendingPathComponent("fieldbook-download-\(UUID().uuidString)")
                do {
                    try FileManager.default.moveItem(at: url, to: kept)
                    continuation.resume(returning: (kept, http))
                } catch {
                    continuation.resume(throwing: SyncError.serverFailure("the download could not be kept (\(error.localizedDescription))"))
                }
            }.resume()
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: location.path)[.size] as? NSNumber)?.intValue ?? 0
        count(sent: 0, received: size)
        if !(200..<300).contains(response.statusCode) {
            let body = (try? Data(contentsOf: location)) ?? Data()
            try? FileManager.default.removeItem(at: location)
            try check(response, body)
        }
        return location
    }

    private func perform(_ request: URLRequest) async throws -> (Data, HTTPURLResponse) {
        try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: request) { data, response, error in
                Self.resume(continuation, data, response, error, base: self.base)
            }.resume()
        }
    }

    private static func resume(_ continuation: CheckedContinuation<(Data, HTTPURLResponse), any Error>, _ data: Data?,
                               _ response: URLResponse?, _ error: (any Error)?, base: URL) {
        if let error { continuation.resume(throwing: transportError(error, base: base)); return }
        guard let http = response as? HTTPURLResponse else {
            continuation.resume(throwing: SyncError.serverFailure("no HTTP answer"))
            return
        }
        continuation.resume(returning: (data ?? Data(), http))
    }

    static func transportError(_ error: any Error, base: URL) -> SyncError {
        .unreachable(base.absoluteString, (error as NSError).localizedDescription)
    }

    private func check(_ response: HTTPURLResponse, _ data: Data) throws {
        let status = response.statusCode
        guard !(200..<300).contains(status) else { return }
        let message = (try? JSONDecoder().decode(ErrorResponse.self, from: data))?.error.message
            ?? HTTPURLResponse.localizedString(forStatusCode: status)
        switch status {
        case 401, 403: throw SyncError.refused(message)
        case 404: throw SyncError.noSuchEngagement(message)
        case 409, 422: throw SyncError.rejected(message)
        case 400, 413: throw SyncError.rejected("\(message) (HTTP \(status))")
        default: throw SyncError.serverFailure("HTTP \(status): \(message)")
        }
    }
}

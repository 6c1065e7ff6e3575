import CCurl
import FieldbookWire
import Foundation

/// One HTTP exchange through libcurl's easy interface, run to completion on the calling
/// thread. libcurl, not URLSession: a response cut inside its head is an error code here,
/// where Foundation's URLSession on Linux traps and kills the process (the fault campaign
/// counted 36 to 38 such deaths in 1,000 runs).
struct CurlTransfer: Sendable {
    /// Where the request body comes from.
    enum Body: Sendable {
        case none
        case data(Data)
        case file(URL)
    }

    /// Where the response body goes.
    enum Sink: Sendable {
        case memory
        case file(URL)
    }

    struct Outcome: Sendable {
        let status: Int
        /// The answer's `Fieldbook-Protocol` header, when it has one.
        var protocolHeader: String? = nil
        /// The answer's `Fieldbook-Engagement-Key` header, when it has one.
        var engagementKeyHeader: String? = nil
        /// The body, when the sink was memory (empty for a file sink).
        let data: Data
        let bytesSent: Int
        let bytesReceived: Int
    }

    /// Why the exchange did not complete: libcurl's code and its one-line reason.
    struct Failure: Error, @unchecked Sendable {
        let code: CURLcode
        let message: String

        /// The server's certificate was not trusted or did not name the host. A handshake cut
        /// by the network (`CURLE_SSL_CONNECT_ERROR`) is not: that server is unreachable, not refused.
        var isTLS: Bool {
            [CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS].contains(code)
        }
    }

    var method: String
    var url: URL
    var headers: [String] = []
    var body: Body = .none
    var sink: Sink = .memory
    /// Seconds to connect, and seconds a transfer may go without a byte before it is dropped.
    var timeout: Int = 60
    /// PEM CA certificates to trust instead of the system's (a private CA).
    var caCertificates: Data?

    private static let initialized: CURLcode = fb_curl_global_init()
    static let largestAnswerInMemory: curl_off_t = 256 << 20

    /// Runs the exchange. Blocking: call it off the cooperative pool (`HTTPTransport` does).
    func perform() throws(Failure) -> Outcome {
        // Made before the handle, so freed after it: libcurl may use both until cleanup.
        let state = TransferState()
        defer { state.close() }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        defer { errorBuffer.deallocate() }
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        // "Expect:" off: curl would wait for a 100-continue before every larger body.
        for header in headers + ["Expect:"] { headerList = curl_slist_append(headerList, header) }
        guard Self.initialized == CURLE_OK, let handle = curl_easy_init() else {
            throw Failure(code: CURLE_FAILED_INIT, message: "libcurl could not be initialised")
        }
        defer { curl_easy_cleanup(handle) }

        do {
            try state.open(body: body, sink: sink)
        } catch {
            throw Failure(code: CURLE_READ_ERROR, message: "\(error.localizedDescription)")
        }
        let context = Unmanaged.passUnretained(state).toOpaque()
        var setup: [CURLcode] = [
            fb_curl_set_string(handle, CURLOPT_URL, url.absoluteString),
            fb_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer),
            fb_curl_set_long(handle, CURLOPT_NOSIGNAL, 1),
            fb_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 0),
            fb_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT, timeout),
            // A stalled transfer (under 1 byte/s for `timeout` seconds) is dropped; a slow
            // large one that keeps moving is not.
            fb_curl_set_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1),
            fb_curl_set_long(handle, CURLOPT_LOW_SPEED_TIME, timeout),
            fb_curl_allow_http_only(handle),
            fb_curl_set_pointer(handle, CURLOPT_HTTPHEADER, headerList),
            fb_curl_set_callback(handle, CURLOPT_WRITEFUNCTION, curlWrite),
            fb_curl_set_pointer(handle, CURLOPT_WRITEDATA, context),
        ]
        // Plain http:// never through a proxy from the environment (http_proxy): the loopback
        // rule lets a token go to 127.0.0.1 in clear, and a proxy would carry it off the machine.
        if url.scheme?.lowercased() == "http" { setup.append(fb_curl_set_string(handle, CURLOPT_PROXY, "")) }
        // An answer kept in memory is a JSON document or a pull page, far below this; a server
        // announcing more is refused before its body comes (the write callback caps the rest).
        if case .memory = sink { setup.append(fb_curl_set_offset(handle, CURLOPT_MAXFILESIZE_LARGE, Self.largestAnswerInMemory)) }
        if let caCertificates {
            setup.append(caCertificates.withUnsafeBytes { fb_curl_set_ca_certificates(handle, $0.baseAddress, $0.count) })
        }
        switch method {
        case "GET": break
        case "HEAD": setup.append(fb_curl_set_long(handle, CURLOPT_NOBODY, 1))
        default: setup.append(fb_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, method))
        }
        if state.bodySize >= 0 {
            setup += [
                fb_curl_set_long(handle, CURLOPT_UPLOAD, 1),
                fb_curl_set_offset(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(state.bodySize)),
                fb_curl_set_callback(handle, CURLOPT_READFUNCTION, curlRead),
                fb_curl_set_pointer(handle, CURLOPT_READDATA, context),
            ]
        }
        if let failed = setup.first(where: { $0 != CURLE_OK }) {
            throw Failure(code: failed, message: String(cString: curl_easy_strerror(failed)))
        }
        let code = curl_easy_perform(handle)
        if let sinkError = state.sinkError {
            throw Failure(code: CURLE_WRITE_ERROR, message: "the answer could not be kept (\(sinkError.localizedDescription))")
        }
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            throw Failure(code: code, message: detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)
        }
        var status = 0
        _ = fb_curl_response_code(handle, &status)
        let stated = fb_curl_response_header(handle, Wire.protocolHeader).map { String(cString: $0) }
        let engagementKey = fb_curl_response_header(handle, Wire.engagementKeyHeader).map { String(cString: $0) }
        return Outcome(status: status, protocolHeader: stated, engagementKeyHeader: engagementKey, data: state.received,
                       bytesSent: state.bytesSent, bytesReceived: state.bytesReceived)
    }
}

/// What the C callbacks read from and write to during one transfer.
private final class TransferState {
    var received = Data()
    var bytesSent = 0
    var bytesReceived = 0
    /// -1: no body.
    var bodySize = -1
    var sinkError: (any Error)?
    private var bodyData = Data()
    private var bodyOffset = 0
    private var bodyFile: FileHandle?
    private var sinkFile: FileHandle?

    func open(body: CurlTransfer.Body, sink: CurlTransfer.Sink) throws {
        switch body {
        case .none: break
        case .data(let data):
            bodyData = data
            bodySize = data.count
        case .file(let url):
            let handle = try FileHandle(forReadingFrom: url)
            bodyFile = handle
            bodySize = Int(try handle.seekToEnd())
            try handle.seek(toOffset: 0)
        }
        if case .file(let url) = sink {
            // Owner only: a client's evidence is confidential while it downloads.
            guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
            }
            sinkFile = try FileHandle(forWritingTo: url)
        }
    }

    func write(_ buffer: UnsafeRawBufferPointer) -> Bool {
        bytesReceived += buffer.count
        guard let sinkFile else {
            guard received.count + buffer.count <= Int(CurlTransfer.largestAnswerInMemory) else {
                sinkError = CocoaError(.fileReadTooLarge, userInfo: [NSLocalizedDescriptionKey: "the answer is larger than \(CurlTransfer.largestAnswerInMemory >> 20) MiB"])
                return false
            }
            received.append(contentsOf: buffer)
            return true
        }
        do {
            try sinkFile.write(contentsOf: Data(buffer))
            return true
        } catch {
            sinkError = error
            return false
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int? {
        if let bodyFile {
            guard let chunk = try? bodyFile.read(upToCount: buffer.count) else { return nil }
            chunk.copyBytes(to: buffer)
            bytesSent += chunk.count
            return chunk.count
        }
        let count = min(buffer.count, bodyData.count - bodyOffset)
        let start = bodyData.startIndex + bodyOffset
        bodyData.copyBytes(to: buffer, from: start..<(start + count))
        bodyOffset += count
        bytesSent += count
        return count
    }

    func close() {
        try? bodyFile?.close()
        try? sinkFile?.close()
    }
}

private let curlWrite: fb_curl_data_callback = { buffer, size, count, context in
    guard let buffer, let context else { return 0 }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    // Any other count than `length` makes libcurl stop with CURLE_WRITE_ERROR.
    return state.write(UnsafeRawBufferPointer(start: buffer, count: length)) ? length : 0
}

private let curlRead: fb_curl_data_callback = { buffer, size, count, context in
    guard let buffer, let context else { return Int(CURL_READFUNC_ABORT) }
    let state = Unmanaged<TransferState>.fromOpaque(context).takeUnretainedValue()
    return state.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: size * count)) ?? Int(CURL_READFUNC_ABORT)
}

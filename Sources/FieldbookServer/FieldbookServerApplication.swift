import FieldbookWire
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL

/// Builds the HTTP application: `GET /v1/health`, `/healthz` (the process answers), `/readyz`
/// (the database and object store answer) and `/v1/openapi.json` (the API described) open,
/// everything under `/v1/engagements/{id}` behind a bearer token for that engagement (reviewers'
/// tokens read only). Every request is logged with its id and measured (`RequestLogMiddleware`,
/// `ServerMetrics`), and every answer states the server's protocol (`ProtocolMiddleware`).
public enum FieldbookServerApplication {
    /// Where the server listens and how much clock skew it accepts in pushed changes.
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        /// How far ahead of the server's clock a pushed change may be stamped (default one hour).
        public var maximumSkewMilliseconds: UInt64
        /// A connection that sends nothing for this long is closed: idle keep-alive connections,
        /// and requests whose body stops coming (a client retrying a cut POST without its body
        /// held a connection forever; a slow sender could hold many).
        public var idleTimeoutSeconds: Int
        /// Bad tokens from one client within `badTokenWindowSeconds` after which it is answered
        /// 429 until the oldest of them leaves the window (`AuthFailureLimiter`).
        public var badTokenLimit: Int
        public var badTokenWindowSeconds: Int
        /// The certificate and key to serve HTTPS with; nil serves plain HTTP.
        public var tls: TLSConfiguration?

        public init(host: String = "127.0.0.1", port: Int = 8080, maximumSkewMilliseconds: UInt64 = 3_600_000, idleTimeoutSeconds: Int = 60,
                    badTokenLimit: Int = 10, badTokenWindowSeconds: Int = 60) {
            self.host = host
            self.port = port
            self.maximumSkewMilliseconds = maximumSkewMilliseconds
            self.idleTimeoutSeconds = idleTimeoutSeconds
            self.badTokenLimit = badTokenLimit
            self.badTokenWindowSeconds = badTokenWindowSeconds
        }
    }

    /// The application, ready to run; `onRunning` receives the bound port (useful with port 0).
    public static func build(storage: any ServerStorage, blobs: any BlobStore, configuration: Configuration, logger: Logger,
                             onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> some ApplicationProtocol {
        Application(
            router: try router(storage: storage, blobs: blobs, configuration: configuration),
            server: try serverBuilder(configuration),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "fieldbook-server"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }

    /// Every route the server answers; `OpenAPIDocumentTests` compares them with the OpenAPI document.
    static func router(storage: any ServerStorage, blobs: any BlobStore, configuration: Configuration) throws -> Router<ServerContext> {
        // Read before the server listens: an installation without its resources fails at start, not on a request.
        let document = try APIDescription.document()
        // Handlers see the storage through its meter; `storage` itself stays the backend's type.
        let metered = MeteredStorage(storage)
        let router = Router(context: ServerContext.self)
        // Outermost first: requests by route and status and their latency (Hummingbird's, renamed
        // by `PrometheusNaming`) see every answer, errors included, since `RequestLogMiddleware`
        // turns errors into answers carrying the request's id; inside it, every answer and error
        // gets the server's protocol.
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: ProtocolMiddleware())
        router.add(middleware: ErrorMiddleware())
        router.get("v1/health") { _, _ in HealthResponse(status: "ok", version: Wire.version) }
        router.get("healthz") { _, _ in HealthResponse(status: "ok", version: Wire.version) }
        router.get("readyz") { _, _ in try await Readiness.check(storage: metered, blobs: blobs) }
        router.get(APIDescription.route) { _, _ in APIDescription.response(document) }
        let now: @Sendable () -> UInt64 = { UInt64(Date().timeIntervalSince1970 * 1000) }
        let limiter = AuthFailureLimiter(limit: configuration.badTokenLimit, windowSeconds: configuration.badTokenWindowSeconds)
        let engagement = router.group("v1/engagements/:engagement").add(middleware: AuthMiddleware(storage: metered, limiter: limiter, now: now))
            .add(middleware: EngagementKeyMiddleware(storage: metered))
        SyncController(storage: metered, blobs: blobs, maximumSkewMilliseconds: configuration.maximumSkewMilliseconds, now: now,
                       meters: SyncMeters()).add(to: engagement)
        return router
    }

    /// HTTP/1.1, wrapped in TLS when a certificate is configured.
    private static func serverBuilder(_ configuration: Configuration) throws -> HTTPServerBuilder {
        let http = HTTPServerBuilder.http1(configuration: .init(idleTimeout: .seconds(Int64(configuration.idleTimeoutSeconds))))
        guard let tls = configuration.tls else { return http }
        return try .tls(http, tlsConfiguration: tls)
    }
}

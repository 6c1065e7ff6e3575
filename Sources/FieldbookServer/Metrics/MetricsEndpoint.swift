import Hummingbird
import Logging
import NIOCore
import Prometheus

/// `GET /metrics` in Prometheus's text format, on a listener of its own (`serve --metrics-port`),
/// never on the API's: scrapers need no token, and clients never see it. Its own requests are
/// not counted.
public enum MetricsEndpoint {
    public static func build(registry: PrometheusCollectorRegistry, host: String, port: Int, logger: Logger,
                             onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router()
        router.get("metrics") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "fieldbook-server"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}

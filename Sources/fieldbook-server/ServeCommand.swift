import ArgumentParser
import FieldbookServer
import FieldbookWire
import Foundation
import Hummingbird
import Logging
import NIOSSL
import ServiceLifecycle

/// `fieldbook-server serve`: runs the HTTP endpoint until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the sync endpoint.")

    @Option(help: "Address to listen on (loopback by default).") var host = "127.0.0.1"
    @Option(help: "Port to listen on; 0 picks a free one (printed on start).") var port = 8080
    @OptionGroup var storage: StorageOptions
    @Option(help: ArgumentHelp(
        "Folder for evidence files (default: the SQLite path + '.objects'; required with PostgreSQL, shared by every process), or 'database'.",
        discussion: "With PostgreSQL, '--objects database' keeps evidence in the database itself, so processes on several machines share nothing else."))
    var objects: String?
    @Option(name: .customLong("idle-timeout"), help: "Seconds a connection may send nothing (idle between requests, or stalled inside a request's body) before it is closed.")
    var idleTimeout: Int = 60
    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain to serve HTTPS with (with --tls-key).") var tlsCert: String?
    @Option(name: .customLong("tls-key"), help: "PEM private key of the certificate (with --tls-cert).") var tlsKey: String?
    @Flag(name: .customLong("insecure-http"), help: "Serve plain HTTP on an address other than loopback (behind a TLS proxy, say).")
    var insecureHTTP = false
    @Option(name: .customLong("metrics-port"), help: "Serve Prometheus metrics at /metrics on this port, a listener of its own (0 picks a free one, printed on start); none without it.")
    var metricsPort: Int?
    @Option(name: .customLong("metrics-host"), help: "Address the metrics listener binds to (loopback by default; plain HTTP, no token).")
    var metricsHost = "127.0.0.1"
    @Option(name: .customLong("log-format"), help: "Log lines as json (one object a line) or text; json unless standard error is a terminal.")
    var logFormat: LogFormat?

    func run() async throws {
        // At most half an hour: a starting server takes a scratch file nothing wrote to for an
        // hour for a dead upload's, which holds only while live uploads cannot idle that long.
        guard (1...1800).contains(idleTimeout) else {
            throw AdminError(status: 1, message: "--idle-timeout must be 1 to 1800 seconds, such as 60.")
        }
        if let metricsPort {
            guard (0...65535).contains(metricsPort), metricsPort == 0 || metricsPort != port else {
                throw AdminError(status: 1, message: "--metrics-port must be 0 to 65535 and not the API's port, such as 9090.")
            }
        }
        let tls = try tlsConfiguration()
        (logFormat ?? .standard).bootstrap()
        // Before the application is built: the handles it makes record into this registry.
        let registry = metricsPort == nil ? nil : ServerMetrics.bootstrap()
        let location = try ObjectsOption(objects, storage: storage)
        let logger = Logger(label: "fieldbook-server")
        let store = try await storage.open(logger: logger)
        let blobs: any BlobStore
        do {
            blobs = try await location.open(on: store)
        } catch {
            await store.close()
            throw error
        }
        var configuration = FieldbookServerApplication.Configuration(host: host, port: port, idleTimeoutSeconds: idleTimeout)
        configuration.tls = tls
        let app = try FieldbookServerApplication.build(
            storage: store, blobs: blobs, configuration: configuration, logger: logger,
            onRunning: { [host, insecureHTTP] port in
                // Scripts and tests read this line to find the port.
                FileHandle.standardOutput.write(Data("fieldbook-server listening on \(tls == nil ? "http" : "https")://\(host):\(port)\n".utf8))
                if tls == nil {
                    logger.warning("plain HTTP, tokens and evidence travel unencrypted\(insecureHTTP ? "" : " (loopback only)"); serve HTTPS with --tls-cert FILE --tls-key FILE.")
                }
            })
        var services: [any Service] = [app]
        if let registry, let metricsPort {
            services.append(MetricsEndpoint.build(registry: registry, host: metricsHost, port: metricsPort, logger: logger) { [metricsHost] port in
                FileHandle.standardOutput.write(Data("fieldbook-server metrics on http://\(metricsHost):\(port)/metrics\n".utf8))
            })
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    /// HTTPS from `--tls-cert`/`--tls-key`; without them plain HTTP, on loopback only unless
    /// `--insecure-http` (a token must not cross a network in clear by accident).
    private func tlsConfiguration() throws -> TLSConfiguration? {
        switch (tlsCert, tlsKey) {
        case let (certificate?, key?):
            do {
                return try ServerTLS.configuration(certificate: certificate, key: key)
            } catch {
                throw AdminError(status: error.missing ? 2 : 1, message: error.description)
            }
        case (nil, nil):
            guard insecureHTTP || Loopback.contains(host) else {
                throw AdminError(status: 1, message: "Serving plain HTTP on \(host) would send tokens and evidence unencrypted; give --tls-cert FILE --tls-key FILE, or --insecure-http behind a TLS proxy.")
            }
            return nil
        default:
            throw AdminError(status: 1, message: "Give both --tls-cert FILE and --tls-key FILE, or neither.")
        }
    }
}

import Foundation
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL store lives: `postgres://USER@HOST:PORT/DB[?sslmode=disable|prefer|require]`.
/// The password comes from `FIELDBOOK_POSTGRES_PASSWORD` or `PGPASSWORD`, never from the URL,
/// so it shows in no process list, shell history or log line.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// The URL's `sslmode`: no TLS, TLS when the server offers it, or TLS required.
    public enum TLSMode: String, Sendable { case disable, prefer, require }

    public let user: String
    public let host: String
    public let port: Int
    public let database: String
    public let tls: TLSMode

    /// Whether a `--database` value names PostgreSQL (`postgres://`, `postgresql://`), not a SQLite path.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(_ text: String) throws(ServerError) {
        guard Self.isPostgres(text), let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            throw .badRequest("'\(text)' is not a PostgreSQL URL; write postgres://USER@HOST:PORT/DATABASE.")
        }
        guard components.password == nil else {
            throw .badRequest("Put the PostgreSQL password in FIELDBOOK_POSTGRES_PASSWORD (or PGPASSWORD), not in the URL.")
        }
        guard let user = components.user, !user.isEmpty else {
            throw .badRequest("The PostgreSQL URL names no user; write postgres://USER@HOST:PORT/DATABASE.")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw .badRequest("The PostgreSQL URL names no database; write postgres://USER@HOST:PORT/DATABASE.")
        }
        let mode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "prefer"
        guard let tls = TLSMode(rawValue: mode) else {
            throw .badRequest("sslmode '\(mode)' is not supported; use disable, prefer or require.")
        }
        self.user = user.removingPercentEncoding ?? user
        self.host = host
        self.port = components.port ?? 5432
        self.database = database.removingPercentEncoding ?? database
        self.tls = tls
    }

    /// What logs and errors may show: everything but the password, which is never part of it.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    /// The pool's size in each process (docs/deploy.md sizes PostgreSQL's `max_connections` by it).
    static let maximumConnections = 16

    func configuration(password: String?) -> PostgresClient.Configuration {
        let tlsConfiguration: PostgresClient.Configuration.TLS = switch tls {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(host: host, port: port, username: user, password: password,
                                                         database: database, tls: tlsConfiguration)
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.maximumConnections = Self.maximumConnections
        return configuration
    }

    /// One direct connection: refusals (no server, wrong password, no database) surface at
    /// once instead of after the pool's minute of retries.
    func connectionConfiguration(password: String?) throws -> PostgresConnection.Configuration {
        let tlsConfiguration: PostgresConnection.Configuration.TLS = switch tls {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(host: host, port: port, username: user, password: password,
                                                             database: database, tls: tlsConfiguration)
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }

    static func passwordFromEnvironment() -> String? {
        let environment = ProcessInfo.processInfo.environment
        return environment["FIELDBOOK_POSTGRES_PASSWORD"] ?? environment["PGPASSWORD"]
    }
}

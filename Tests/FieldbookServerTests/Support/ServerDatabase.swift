import Foundation
import Testing

/// The backends the server suite runs on. Every behavioural test takes one as its argument,
/// so SQLite and PostgreSQL answer the same suite and cannot drift apart.
enum ServerBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// The PostgreSQL the tests may create databases in (Scripts/test.sh starts a throwaway one).
    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["FIELDBOOK_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty && $0 != "false" } ?? false }

    /// Both backends, unless PostgreSQL is missing outside CI (`PostgresAvailabilityTests` then
    /// says so). In CI a missing PostgreSQL fails every PostgreSQL case.
    static var underTest: [ServerBackend] {
        postgresURL != nil || isCI ? allCases : [.sqlite]
    }
}

/// One server store for a test: a temporary SQLite file, or a fresh database in the test
/// cluster (dropped afterwards). Evidence goes to a folder every process on the store shares.
final class ServerDatabase: @unchecked Sendable {
    let backend: ServerBackend
    let folder: URL
    let location: String
    private let postgresName: String?

    var objects: String { folder.appendingPathComponent("objects").path }

    init(_ backend: ServerBackend) throws {
        self.backend = backend
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("fb-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        switch backend {
        case .sqlite:
            location = folder.appendingPathComponent("server.sqlite").path
            postgresName = nil
        case .postgres:
            guard let base = ServerBackend.postgresURL else {
                throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey:
                    "FIELDBOOK_TEST_POSTGRES_URL is not set: the PostgreSQL half of the server suite cannot run (Scripts/test.sh starts a throwaway cluster)."])
            }
            let name = "fb_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
            try Self.psql(base, "CREATE DATABASE \(name)")
            postgresName = name
            location = Self.replacingDatabase(in: base, with: name)
        }
    }

    deinit {
        if let postgresName, let base = ServerBackend.postgresURL {
            _ = try? Self.psql(base, "DROP DATABASE IF EXISTS \(postgresName) WITH (FORCE)")
        }
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs SQL on this store's PostgreSQL database; rows come back one per line, fields split by '|'.
    @discardableResult
    func sql(_ statement: String) throws -> [String] {
        try Self.psql(location, statement).split(separator: "\n").map(String.init)
    }

    /// Runs a file of SQL (an earlier release's dump) on this store's PostgreSQL database.
    func runSQL(file: URL) throws {
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = environment["PGPASSWORD"] ?? environment["FIELDBOOK_POSTGRES_PASSWORD"]
        let result = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"),
                                          ["psql", location, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file.path], environment: environment)
        guard result.status == 0 else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "psql -f \(file.lastPathComponent) failed: \(result.stderr)"])
        }
    }

    static func replacingDatabase(in url: String, with name: String) -> String {
        var components = URLComponents(string: url)!
        components.path = "/" + name
        return components.string!
    }

    /// psql with the password from the environment (PGPASSWORD or FIELDBOOK_POSTGRES_PASSWORD).
    @discardableResult
    static func psql(_ url: String, _ statement: String) throws -> String {
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = environment["PGPASSWORD"] ?? environment["FIELDBOOK_POSTGRES_PASSWORD"]
        let result = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"),
                                          ["psql", url, "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", statement],
                                          environment: environment)
        guard result.status == 0 else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "psql failed: \(result.stderr)"])
        }
        return result.stdout
    }
}

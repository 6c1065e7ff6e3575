import Foundation
import Testing

/// `serve --objects database`: evidence objects in PostgreSQL, so server processes that share
/// no folder (as on two machines) serve each other's uploads; stored and served in parts, never
/// whole in memory; an upload cut or refused leaves nothing behind; an existing database
/// upgrades in place and takes its folder's objects from a backup.
@Suite(.serialized)
struct DatabaseObjectsTests {
    /// Two processes on one fresh PostgreSQL database, each keeping objects as `objects` says
    /// (nil: a folder of its own), with an engagement and an assessor's token; nil without PostgreSQL.
    static func machines(objects: String? = "database", arguments: [String] = [])
        throws -> (ServerProcess, ServerProcess, engagement: String, token: String)? {
        guard ServerBackend.postgresURL != nil || ServerBackend.isCI else { return nil }
        let store = try ServerDatabase(.postgres)
        let own = { (name: String) in objects ?? store.folder.appendingPathComponent(name).path }
        let first = try ServerProcess(sharing: store, objects: own("objects-first"), arguments: arguments)
        let second = try ServerProcess(sharing: store, objects: own("objects-second"), arguments: arguments)
        let engagement = try first.createEngagement("Two machines")
        let token = try first.token(for: "Ana", engagement: engagement).secret
        return (first, second, engagement, token)
    }

    static func random(_ count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    static func blob(_ engagement: String, _ data: Data) -> String { "/v1/engagements/\(engagement)/blobs/\(RoleTests.sha256(data))" }

    /// Peak resident memory of a process (`VmHWM`), in bytes.
    static func peakMemory(_ server: ServerProcess) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(server.process.processIdentifier)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
        return try #require(Int(line.split(whereSeparator: \.isWhitespace)[1])) * 1024
    }

    static func count(_ store: ServerDatabase, _ table: String) throws -> Int {
        Int(try store.sql("SELECT count(*) FROM \(table)").first ?? "") ?? -1
    }

    @Test("a file uploaded through one process is downloaded byte for byte through another that shares no folder with it")
    func uploadHereDownloadThere() async throws {
        guard let (first, second, engagement, token) = try Self.machines() else { return }
        defer { withExtendedLifetime((first, second)) {} }
        // Three parts and a short fourth: the parts join back in order.
        let data = Self.random(3 * 256 * 1024 + 12_345)
        let put = try await first.request("PUT", Self.blob(engagement, data), token: token, body: data)
        #expect(put.status == 201, "\(String(decoding: put.body, as: UTF8.self))")
        #expect(try await second.request("HEAD", Self.blob(engagement, data), token: token).status == 200)
        let get = try await second.request("GET", Self.blob(engagement, data), token: token)
        #expect(get.status == 200 && get.body == data)
        #expect(try await second.request("PUT", Self.blob(engagement, data), token: token, body: data).status == 200)
        #expect(try Self.count(first.store, "object") == 1 && Self.count(first.store, "object_part") == 4)
        // An empty file is an object too.
        let empty = try await second.request("PUT", Self.blob(engagement, Data()), token: token, body: Data())
        #expect(empty.status == 201)
        let emptyBack = try await first.request("GET", Self.blob(engagement, Data()), token: token)
        #expect(emptyBack.status == 200 && emptyBack.body.isEmpty)

        // Assessors syncing through either process: evidence added through one arrives through the other.
        let ana = try Laptop(), ben = try Laptop()
        #expect(try ana.run("clone", first.url, "--engagement", engagement, "--token", token, "--assessor", "Ana").status == 0)
        let file = ana.folder.appendingPathComponent("validation.pdf")
        try Self.random(100_000).write(to: file)
        #expect(try ana.run("evidence", "add", file.path, "--requirement", "A.6.2.4").status == 0)
        let sync = try ana.run("sync")
        #expect(sync.status == 0, "\(sync.stderr)")
        let benToken = try second.token(for: "Ben", engagement: engagement).secret
        let clone = try ben.run("clone", second.url, "--engagement", engagement, "--token", benToken, "--assessor", "Ben")
        #expect(clone.status == 0, "\(clone.stderr)")
        #expect(try ben.json("evidence", "verify", "--json")["intact"] as? Int == 1)
    }

    @Test("with a folder each, the second process cannot serve what the first stored: the reason for --objects database")
    func separateFoldersDoNotShare() async throws {
        guard let (first, second, engagement, token) = try Self.machines(objects: nil) else { return }
        defer { withExtendedLifetime((first, second)) {} }
        let data = Self.random(1_000)
        #expect(try await first.request("PUT", Self.blob(engagement, data), token: token, body: data).status == 201)
        #expect(try await first.request("HEAD", Self.blob(engagement, data), token: token).status == 200)
        #expect(try await second.request("GET", Self.blob(engagement, data), token: token).status == 404)
    }

    @Test("a 24 MiB object goes up through one process and down through the other without either holding it in memory")
    func largeObjectStreams() async throws {
        guard let (first, second, engagement, token) = try Self.machines() else { return }
        defer { withExtendedLifetime((first, second)) {} }
        // Warm both processes up (pool connections, NIO buffers) so the peaks below measure the object.
        let small = Self.random(600_000)
        #expect(try await first.request("PUT", Self.blob(engagement, small), token: token, body: small).status == 201)
        #expect(try await second.request("GET", Self.blob(engagement, small), token: token).body == small)
        let data = Self.random(24 << 20)
        let (firstBefore, secondBefore) = (try Self.peakMemory(first), try Self.peakMemory(second))
        #expect(try await first.request("PUT", Self.blob(engagement, data), token: token, body: data).status == 201)
        let get = try await second.request("GET", Self.blob(engagement, data), token: token)
        #expect(get.status == 200 && get.body == data)
        let grew = (up: try Self.peakMemory(first) - firstBefore, down: try Self.peakMemory(second) - secondBefore)
        // Holding the object whole would raise a peak by 24 MiB or more.
        #expect(grew.up < 12 << 20 && grew.down < 12 << 20, "peak memory grew by \(grew.up >> 10) KiB uploading, \(grew.down >> 10) KiB downloading")
        #expect(try Self.count(first.store, "object_part") == 96 + 3)
    }

    @Test("an upload cut off midway or refused for its hash leaves no object and no part; a dead process's parts go at the next start")
    func nothingPartialStays() async throws {
        // Long enough for a busy machine to look at the table while the stalled upload is still open.
        guard let (first, second, engagement, token) = try Self.machines(arguments: ["--idle-timeout", "8"]) else { return }
        defer { withExtendedLifetime((first, second)) {} }
        let store = first.store
        let data = Self.random(2 << 20)
        let cut = Task.detached {
            try RawHTTP.stall(port: first.port, method: "PUT", target: Self.blob(engagement, data), headers: ["Authorization": "Bearer \(token)"],
                              declaredLength: data.count, sent: 700 * 1024)
        }
        // The parts are written while the body comes in ...
        var written = 0
        let deadline = Date().addingTimeInterval(30)
        while written < 2 && Date() < deadline {
            written = try Self.count(store, "object_part")
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(written >= 2, "no part was written while the upload came in")
        _ = try await cut.value
        // ... and deleted once the server gives up on the rest.
        var left = written
        while left > 0 && Date() < deadline.addingTimeInterval(30) {
            left = try Self.count(store, "object_part")
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(left == 0)
        #expect(try Self.count(store, "object") == 0)
        #expect(try await second.request("HEAD", Self.blob(engagement, data), token: token).status == 404)

        let refused = try await first.request("PUT", Self.blob(engagement, Self.random(10)), token: token, body: data)
        #expect(refused.status == 422, "\(String(decoding: refused.body, as: UTF8.self))")
        #expect(try Self.count(store, "object_part") == 0 && Self.count(store, "object") == 0)

        // Parts no upload has written to for an hour (a process killed mid-upload) are removed
        // when a process starts; a recent upload's are not.
        let hourAgo = Int64(Date().timeIntervalSince1970 * 1000) - 3_700_000
        try store.sql("INSERT INTO object_part (upload, part, bytes, written) VALUES ('dead', 0, '\\x00', \(hourAgo)), ('live', 0, '\\x00', \(hourAgo + 3_600_000))")
        let third = try ServerProcess(sharing: store, objects: "database")
        defer { withExtendedLifetime(third) {} }
        #expect(try store.sql("SELECT upload FROM object_part") == ["live"])
    }

    @Test("--objects database is refused with SQLite, and backup has nothing to copy when PostgreSQL holds the objects")
    func refusals() throws {
        let sqlite = try ServerDatabase(.sqlite)
        let refused = try ChildProcess.run(ServerProcess.binary("fieldbook-server"),
                                           ["serve", "--port", "0", "--database", sqlite.location, "--objects", "database"])
        #expect(refused.status == 1 && refused.stderr.contains("SQLite"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1)
        guard ServerBackend.postgresURL != nil || ServerBackend.isCI else { return }
        let postgres = try ServerDatabase(.postgres)
        let file = postgres.folder.appendingPathComponent("backup.zip")
        let backup = try ChildProcess.run(ServerProcess.binary("fieldbook-server"),
                                          ["backup", "-o", file.path, "--database", postgres.location, "--objects", "database"])
        #expect(backup.status == 1 && backup.stderr.contains("pg_dump"), "\(backup.stderr)")
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }

    @Test("a database of the release before upgrades in place and takes its folder's objects from a backup into the database")
    func upgradeMovesObjectsIn() async throws {
        guard ServerBackend.postgresURL != nil || ServerBackend.isCI else { return }
        // The last release whose server kept objects only in a folder (PostgreSQL schema 5).
        let release = "release-f64343e"
        let fixtures = UpgradeTests.fixtures(release)
        let store = try ServerDatabase(.postgres)
        try store.runSQL(file: fixtures.appendingPathComponent("server-postgres.sql"))
        #expect(try store.sql("SELECT max(version) FROM fieldbook_schema") == ["5"])
        // The release before kept objects in a folder: backed up from it, restored into the database.
        let file = store.folder.appendingPathComponent("objects.zip")
        let admin = { (arguments: [String]) in try ChildProcess.run(ServerProcess.binary("fieldbook-server"), arguments + ["--database", store.location]) }
        let backup = try admin(["backup", "-o", file.path, "--objects", fixtures.appendingPathComponent("server-objects").path])
        #expect(backup.status == 0, "\(backup.stderr)")
        let restore = try admin(["restore", file.path, "--objects", "database"])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try store.sql("SELECT max(version) FROM fieldbook_schema") == ["7"])
        #expect(try Self.count(store, "object") == 1)
        #expect(try admin(["restore", file.path, "--objects", "database"]).status == 0, "a second restore adds nothing and fails nothing")
        #expect(try Self.count(store, "object") == 1)

        let server = try ServerProcess(sharing: store, objects: "database")
        defer { withExtendedLifetime(server) {} }
        let token = try server.token(for: "Ana Ruiz", engagement: "upgrade-fixture").secret
        let laptop = try Laptop()
        let clone = try laptop.run("clone", server.url, "--engagement", "upgrade-fixture", "--token", token, "--assessor", "Ana Ruiz")
        #expect(clone.status == 0, "\(clone.stderr)")
        #expect(try laptop.export() == UpgradeTests.expectedExport(release))
        #expect(try laptop.json("evidence", "verify", "--json")["intact"] as? Int == 1)
    }
}

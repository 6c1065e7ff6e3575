#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FieldbookTestSupport
import Foundation
import Testing

/// One hostile command line, from `Fixtures/hostile/cli/<name>.json`, or one hostile bundle
/// import, from `Fixtures/hostile/bundles/<name>.json` (fields: `Fixtures/hostile/README.md`).
struct HostileCLIFixture: Decodable, Sendable, CustomTestStringConvertible {
    /// A file made in the workspace folder before the command runs. `name` may hold
    /// placeholders, `{byte:ff}` included (invalid UTF-8 in a file name).
    struct File: Decodable, Sendable {
        let name: String
        var text: String?
        var base64: String?
        var fifo: Bool?
        var directory: Bool?
        var symlink: String?
        /// A sparse file of this many bytes (nothing written).
        var sparse_size: Int64?
    }

    var name = ""
    var kind = ""
    let description: String
    /// The command line after `fieldbook`; placeholders as in `HostileInput.expand` plus
    /// {dir} (the workspace folder), {db}, {risk_id}, {evidence_id}, {bundle}, {good_bundle}.
    var args: [String]?
    var files: [File]?
    /// Commands run (and required to succeed) before the state is recorded.
    var setup: [[String]]?
    /// Bundle fixtures: the variant `Scripts/make-hostile-bundles.py` writes (default: `name`).
    var bundle: String?
    let expect_exit: Int32
    var stderr_contains: String?
    var timeout: Double?
    var known_issue: String?

    var testDescription: String { "\(kind)/\(name)" }

    enum CodingKeys: String, CodingKey {
        case description, args, files, setup, bundle, expect_exit, stderr_contains, timeout, known_issue
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func all(_ kind: String) -> [HostileCLIFixture] {
        let folder = root.appendingPathComponent("Fixtures/hostile/\(kind)")
        let files = ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        return files.map { file in
            var fixture: HostileCLIFixture
            do {
                fixture = try JSONDecoder().decode(HostileCLIFixture.self, from: Data(contentsOf: file))
            } catch {
                fixture = HostileCLIFixture(description: "unreadable fixture: \(error)", expect_exit: -1)
            }
            fixture.name = file.deletingPathExtension().lastPathComponent
            fixture.kind = kind
            return fixture
        }
    }

    init(description: String, expect_exit: Int32) {
        self.description = description
        self.expect_exit = expect_exit
    }
}

/// Raw-byte file system calls, for names that are not UTF-8.
enum RawFile {
    static func path(_ bytes: [UInt8]) -> [CChar] { bytes.map { CChar(bitPattern: $0) } + [0] }

    static func make(_ file: HostileCLIFixture.File, in folder: URL, values: [String: String]) throws {
        let target = path(Array(folder.path.utf8) + [UInt8(ascii: "/")] + HostileInput.expand(file.name, values))
        func check(_ result: Int32, _ what: String) throws {
            guard result == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(what) \(file.name) failed: errno \(errno)"]) }
        }
        if file.fifo == true { try check(mkfifo(target, 0o644), "mkfifo"); return }
        if file.directory == true { try check(mkdir(target, 0o755), "mkdir"); return }
        if let link = file.symlink { try check(symlink(path(HostileInput.expand(link, values)), target), "symlink"); return }
        let descriptor = open(target, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { try check(-1, "open"); return }
        defer { close(descriptor) }
        if let size = file.sparse_size { try check(ftruncate(descriptor, off_t(size)), "ftruncate"); return }
        let bytes = file.base64.flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) } ?? HostileInput.expand(file.text ?? "", values)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}

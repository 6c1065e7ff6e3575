import Foundation
import Testing

/// README's "Using it" section, typed in order as a newcomer would, in a scratch folder: the
/// README cannot drift from the product again.
@Suite struct ReadmeWalkthroughTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func everyCommandOfTheWalkthroughSucceedsAsTyped() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let walkthrough = try ReadmeWalkthrough(readme: readme)
        // Only the build lines are skipped, each exactly once; the rest runs.
        #expect(walkthrough.skippedLines.map(\.text) == ReadmeWalkthrough.skipped)
        let commands = walkthrough.lines.map(\.text)
        for step in ["fieldbook bundle import", "fieldbook resolve", "fieldbook-server token create", "fieldbook-server serve", "fieldbook clone \"http"] {
            #expect(commands.contains { $0.contains(step) }, "the walkthrough lacks '\(step)'")
        }
        // bash -e ignores a failure before && or ||: such a line could fail unnoticed.
        for line in walkthrough.lines where line.text.contains("&&") || line.text.contains("||") {
            Issue.record("README.md line \(line.number) chains commands with && or ||, which hides a failure from the test: \(line.text)")
        }
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let failure = try walkthrough.run(in: folder, environment: try Self.environment(in: folder))
        #expect(failure == nil, "\(failure ?? "")")
        guard failure == nil else { return }

        // The walkthrough's `cd "$(mktemp -d)"` made one scratch folder under TMPDIR: the clone
        // from the server went into a folder of its own, not into the folder it was typed in.
        let made = try FileManager.default.contentsOfDirectory(at: folder.appendingPathComponent("tmp"), includingPropertiesForKeys: nil)
        let tryout = try #require(made.first, "the walkthrough made no scratch folder with mktemp -d")
        #expect(made.count == 1)
        #expect(!FileManager.default.fileExists(atPath: tryout.appendingPathComponent(".fieldbook").path), "a workspace landed in the scratch folder itself")
        let workspaces = try FileManager.default.contentsOfDirectory(atPath: tryout.path).filter {
            FileManager.default.fileExists(atPath: tryout.appendingPathComponent($0).appendingPathComponent(".fieldbook").path)
        }
        #expect(workspaces.count == 3, "Ana's, Ben's and the server clone's workspaces; found \(workspaces.sorted())")
    }

    /// The harness itself: a failing command fails the run and is named by its README line.
    @Test func aFailingCommandIsNamedByItsReadmeLine() throws {
        let readme = "# T\n\n## Using it\n\n```sh\nswift build --build-tests\necho one\nfalse   # this fails\necho never\n```\n\n## Next\n"
        let walkthrough = try ReadmeWalkthrough(readme: readme)
        #expect(walkthrough.lines.map(\.text) == ["echo one", "false   # this fails", "echo never"])
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let failure = try #require(try walkthrough.run(in: folder, environment: try Self.environment(in: folder)))
        #expect(failure.hasPrefix("README.md line 8, `false   # this fails`, failed (exit 1)"), "\(failure)")
        #expect(!failure.contains("never"))
    }

    /// A background process the walkthrough does not stop fails the run.
    @Test func aServerLeftRunningFailsTheRun() throws {
        let walkthrough = try ReadmeWalkthrough(readme: "## Using it\n\n```sh\nsleep 30 &\n```\n")
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let failure = try #require(try walkthrough.run(in: folder, environment: try Self.environment(in: folder)))
        #expect(failure.contains("left a background process running"), "\(failure)")
    }

    static func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fb-readme-\(UUID().uuidString)")
        for sub in ["tmp", "home"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        return folder
    }

    /// The built `fieldbook` and `fieldbook-server` first on PATH; HOME and TMPDIR inside the
    /// scratch folder, so nothing outside it is read or written; a free port for the server.
    static func environment(in folder: URL) throws -> [String: String] {
        let bin = FieldbookProcess.binary.deletingLastPathComponent()
        try #require(FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("fieldbook-server").path),
                     "fieldbook-server is not built next to \(FieldbookProcess.binary.path); run 'swift build --build-tests'")
        var environment = ProcessInfo.processInfo.environment
        for name in ["FIELDBOOK_WORKSPACE", "FIELDBOOK_IDENTITY", "FIELDBOOK_SERVER_DATABASE", "XDG_CONFIG_HOME"] { environment[name] = nil }
        environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["HOME"] = folder.appendingPathComponent("home").path
        environment["TMPDIR"] = folder.appendingPathComponent("tmp").path
        environment["PORT"] = String(try FreePort.loopback())
        return environment
    }
}

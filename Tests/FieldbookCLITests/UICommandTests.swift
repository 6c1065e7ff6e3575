import Foundation
import Testing

/// `fieldbook ui`: its refusals before any page is served, and the workbench it becomes,
/// through the real binaries (the browser test, `Tests/Browser`, drives the pages themselves).
struct UICommandTests {
    @Test("outside a workspace, with a port out of range, or without the workbench beside it, ui refuses with one sentence")
    func refusals() throws {
        let empty = try CLIWorkspace(initialize: false)
        let outside = try empty.run("ui", "--no-open")
        #expect(outside.status == 2, "\(outside.stderr)")
        #expect(outside.stderr.contains("No Fieldbook workspace") && outside.stderr.contains("fieldbook init"), "\(outside.stderr)")
        let workspace = try CLIWorkspace()
        try workspace.expectRefusal(["ui", "--port", "70000"], status: 1, mentioning: "--port")
        // A copy of fieldbook alone, with no fieldbook-workbench beside it.
        let lonely = workspace.folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: lonely, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: FieldbookProcess.binary, to: lonely.appendingPathComponent("fieldbook"))
        // Linux refuses to run a file some process still holds open for writing (ETXTBSY, exit 126):
        // a process another test forks while the copy is written inherits its descriptor until it
        // execs. That passes within moments; a real failure does not.
        var (status, said) = try ExternalTool.run([lonely.appendingPathComponent("fieldbook").path, "ui", "--no-open"], in: workspace.folder)
        for _ in 0..<20 where status == 126 && said.contains("Text file busy") {
            Thread.sleep(forTimeInterval: 0.25)
            (status, said) = try ExternalTool.run([lonely.appendingPathComponent("fieldbook").path, "ui", "--no-open"], in: workspace.folder)
        }
        #expect(status == 4, "\(said)")
        #expect(said.contains("fieldbook-workbench") && said.contains("not installed"), "\(said)")
    }

    @Test("ui becomes the workbench: it prints an address with a key, refuses a request without it, and stops on SIGTERM")
    func serves() throws {
        let workspace = try CLIWorkspace()
        let process = Process()
        process.executableURL = FieldbookProcess.binary
        process.arguments = ["ui", "--no-open"]
        process.currentDirectoryURL = workspace.folder
        var environment = ProcessInfo.processInfo.environment
        environment["FIELDBOOK_WORKSPACE"] = nil
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var printed = ""
        let deadline = Date().addingTimeInterval(30)
        while !printed.contains("\n(the address"), Date() < deadline {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            printed += String(decoding: chunk, as: UTF8.self)
        }
        let line = try #require(printed.split(separator: "\n").first { $0.hasPrefix("Open http://127.0.0.1:") }, "\(printed)")
        let url = try #require(URL(string: String(line.dropFirst("Open ".count))))
        #expect(url.query?.hasPrefix("key=") == true && (url.query?.count ?? 0) > 40, "\(url)")
        let bare = try #require(URL(string: "http://127.0.0.1:\(url.port!)/"))
        let (status, body) = try Self.get(bare)
        #expect(status == 401)
        #expect(body.contains("fieldbook ui"), "\(body)")
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit || process.terminationReason == .uncaughtSignal)
    }

    /// One GET with curl (no redirects followed): the status and body.
    static func get(_ url: URL) throws -> (Int, String) {
        let (status, output) = try ExternalTool.run(["curl", "-s", "-w", "\n%{http_code}", url.absoluteString])
        #expect(status == 0)
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }
}

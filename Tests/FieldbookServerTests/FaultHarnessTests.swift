import Foundation
import Testing

/// The fast subset of the fault-injection harness (`Scripts/fault-harness.py`): three seeded
/// runs against the binaries this test run built, each with a server, the faulty proxy
/// (`Scripts/fault-proxy.py`), 2-4 laptops, client and server kills, clock skew, a full disk
/// (as root) and corrupted bundles and evidence files; then every laptop must converge and
/// every edit reported saved must be in the log. Long mode: `Scripts/fault-harness.py --long`.
struct FaultHarnessTests {
    /// Fixed so a failure here replays with the same seed (the harness prints the command).
    static let seed = 20_261_123

    static var scripts: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scripts")
    }

    @Test("3 seeded fault-injection runs: no lost edit, every laptop converges", .timeLimit(.minutes(5)))
    func faultHarness() throws {
        let binaries = ServerProcess.binary("fieldbook-server").deletingLastPathComponent()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.scripts.appendingPathComponent("fault-harness.py").path,
                             "--runs", "3", "--seed", String(Self.seed), "--every-fault", "--bin", binaries.path, "--quiet"]
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("FIELDBOOK_") }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        print(text)
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("lost edits: 0"), "\(text)")
        #expect(text.contains("divergent runs: 0"), "\(text)")
    }
}

import FieldbookTestSupport
import FieldbookModel
import FieldbookReplica
import FieldbookSync
import Foundation
import Testing

/// SIGKILL in the middle of a large apply (a 10k-change bundle import), many times at
/// random moments: each time the database passes `PRAGMA integrity_check` and the state is
/// all of the batch or none of it.
struct CrashSafetyTests {
    static let engagement = "crash-engagement"

    static func integrity(_ folder: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])",
                             folder.appendingPathComponent(".fieldbook/fieldbook.sqlite").path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("SIGKILL during a 10k-change import leaves a sound database holding all of the batch or none")
    func killDuringImport() throws {
        let pristine = try CLIWorkspace(initialize: false)
        #expect(try pristine.run("init", "--engagement", "Crash", "--assessor", "Ana", "--id", Self.engagement).status == 0)
        try pristine.run("assess", "GV-1.1", "--result", "compliant")
        let bundle = pristine.folder.appendingPathComponent("large.fbbundle")
        try SyntheticBundle.write(to: bundle, engagement: Self.engagement, count: 10_000)
        let before = try pristine.export()

        // The full import, for the "all" state and its duration.
        let reference = try CLIWorkspace(initialize: false)
        try FileManager.default.removeItem(at: reference.folder)
        try FileManager.default.copyItem(at: pristine.folder, to: reference.folder)
        let started = Date()
        #expect(try reference.run("bundle", "import", bundle.path).status == 0)
        let duration = Date().timeIntervalSince(started)
        let after = try reference.export()
        #expect(after != before)

        var random = SeededRandom(seed: 42)
        var outcomes = ["none": 0, "all": 0]
        let runs = ProcessInfo.processInfo.environment["FIELDBOOK_CRASH_RUNS"].flatMap(Int.init) ?? 10
        for run in 0..<runs {
            let victim = try CLIWorkspace(initialize: false)
            try FileManager.default.removeItem(at: victim.folder)
            try FileManager.default.copyItem(at: pristine.folder, to: victim.folder)
            let process = Process()
            process.executableURL = FieldbookProcess.binary
            process.arguments = ["--workspace", victim.folder.path, "bundle", "import", bundle.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let delay = Double.random(in: 0.02...(duration * 1.4), using: &random)
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(try Self.integrity(victim.folder) == "ok", "run \(run)")
            let state = try victim.export()
            #expect(state == before || state == after, "run \(run): killed after \(delay) s, the state is neither all nor none")
            outcomes[state == after ? "all" : "none", default: 0] += 1
            // The interrupted import can simply be run again.
            #expect(try victim.run("bundle", "import", bundle.path).status == 0)
            #expect(try victim.export() == after, "run \(run): re-import did not finish the job")
        }
        print("crash safety: \(runs) kills during a \(String(format: "%.2f", duration)) s import: \(outcomes["none"]!) left none, \(outcomes["all"]!) left all")
    }
}

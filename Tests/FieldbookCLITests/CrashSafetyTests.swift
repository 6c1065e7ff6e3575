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

    /// A bundle of `count` changes from another laptop, made with the merge core.
    static func largeBundle(at file: URL, count: Int) throws {
        var replica = Replica(site: .random(), author: "Remote assessor")
        var now: UInt64 = 1_700_000_000_000
        let risks = (0..<500).map { EntityID(String(format: "0193d000-0000-7000-8000-%012d", $0))! }
        var changes: [Change] = []
        for index in 0..<count {
            now += 1
            let risk = risks[index % risks.count]
            let edit: LocalEdit = index % 3 == 0
                ? .set(risk, .risk, field: "title", .text("Risk \(index)"))
                : .set(risk, .risk, field: index % 3 == 1 ? "likelihood" : "impact", .integer(Int64(index % 5 + 1)))
            changes.append(try replica.write(edit, now: now))
        }
        let header = BundleHeader(format: BundleFormat.currentVersion, engagement: engagement, engagementName: nil,
                                  sender: .init(site: replica.site.text, assessor: replica.author), vector: replica.state.vector,
                                  base: VersionVector(), changeCount: changes.count, objectCount: 0)
        try BundleWriter().write(to: file, header: header, changes: changes, objects: [])
    }

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
        try Self.largeBundle(at: bundle, count: 10_000)
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

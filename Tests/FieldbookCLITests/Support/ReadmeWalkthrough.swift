import Foundation

/// The shell blocks of README's "Using it" section as one bash script, each line kept with its
/// README line number so a failure names the README's own command.
struct ReadmeWalkthrough {
    struct Line: Equatable { let number: Int; let text: String }

    /// The only lines not run: building the binaries and putting them on PATH, which the test
    /// has done already. Each must be in the README exactly once, so the skip cannot widen.
    static let skipped = [
        "swift build --build-tests",
        #"export PATH="$(swift build --show-bin-path):$PATH""#,
    ]

    let lines: [Line]
    let skippedLines: [Line]

    init(readme: String, section: String = "## Using it") throws {
        let all = readme.components(separatedBy: "\n")
        guard let start = all.firstIndex(of: section) else { throw Failure("README.md has no '\(section)' section") }
        var lines: [Line] = [], skippedLines: [Line] = []
        var inBlock = false
        for index in all.indices.dropFirst(start + 1) {
            let text = all[index]
            if !inBlock && text.hasPrefix("## ") { break }
            if text.hasPrefix("```") {
                if inBlock { inBlock = false } else { inBlock = text == "```sh" }
                continue
            }
            guard inBlock else { continue }
            let line = Line(number: index + 1, text: text)
            if Self.skipped.contains(text.trimmingCharacters(in: .whitespaces)) { skippedLines.append(line) } else { lines.append(line) }
        }
        self.lines = lines
        self.skippedLines = skippedLines
    }

    /// The script: a trap that names the failing line, the README's lines one script line each,
    /// and a check that the walkthrough stopped what it started in the background. The trap on
    /// exit only cleans up after a failure; it is not what a passing walkthrough relies on.
    func script() -> (text: String, readmeLine: [Int: Int]) {
        var text = [
            #"trap 'status=$?; echo "WALKTHROUGH-FAILED line $LINENO exit $status" >&2' ERR"#,
            // SIGKILL: a child of the test runner may inherit SIGTERM blocked.
            #"trap 'status=$?; kill -KILL $(jobs -rp) 2>/dev/null || true; exit $status' EXIT"#,
        ]
        var readmeLine: [Int: Int] = [:]
        for line in lines {
            text.append(line.text)
            readmeLine[text.count] = line.number
        }
        text.append(#"for _ in $(seq 50); do [ -z "$(jobs -rp)" ] && break; sleep 0.1; done"#)
        text.append(#"if [ -n "$(jobs -rp)" ]; then echo "WALKTHROUGH-LEFT-RUNNING $(jobs -r)" >&2; exit 1; fi"#)
        return (text.joined(separator: "\n") + "\n", readmeLine)
    }

    /// Runs the script with `bash -euo pipefail` in `folder` and returns nil when every command
    /// succeeded, else one sentence naming the README line that failed, with the output's tail.
    func run(in folder: URL, environment: [String: String], timeout: TimeInterval = 600) throws -> String? {
        let (text, readmeLine) = script()
        let scriptFile = folder.appendingPathComponent("walkthrough.sh"), logFile = folder.appendingPathComponent("walkthrough.log")
        try Data(text.utf8).write(to: scriptFile)
        try Data().write(to: logFile)
        let work = folder.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let log = try FileHandle(forWritingTo: logFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-euo", "pipefail", scriptFile.path]
        process.currentDirectoryURL = work
        process.environment = environment
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        let timedOut = process.isRunning
        if timedOut { process.terminate() }
        process.waitUntilExit()
        try log.close()
        let output = try String(contentsOf: logFile, encoding: .utf8)
        let tail = output.split(separator: "\n", omittingEmptySubsequences: false).suffix(25).joined(separator: "\n")
        if timedOut { return "The walkthrough did not finish within \(Int(timeout)) s; its output ends:\n\(tail)" }
        guard process.terminationStatus != 0 else { return nil }
        if let marker = output.range(of: "WALKTHROUGH-FAILED line ") {
            let words = output[marker.upperBound...].split(separator: " ", maxSplits: 3)
            if let scriptLine = Int(words.first ?? ""), let number = readmeLine[scriptLine],
               let line = lines.first(where: { $0.number == number }) {
                return "README.md line \(number), `\(line.text)`, failed (exit \(words.count > 2 ? String(words[2].prefix { $0.isNumber }) : "?")); the output ends:\n\(tail)"
            }
        }
        if output.contains("WALKTHROUGH-LEFT-RUNNING") {
            return "The walkthrough left a background process running (it must stop its own server); the output ends:\n\(tail)"
        }
        return "The walkthrough failed (exit \(process.terminationStatus)); the output ends:\n\(tail)"
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

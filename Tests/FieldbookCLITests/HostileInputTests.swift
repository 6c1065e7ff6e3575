import FieldbookTestSupport
import Foundation
import Testing

/// Every fixture of `Fixtures/hostile/cli/` and `Fixtures/hostile/bundles/` against the real
/// binary, each in its own copy of a seeded workspace: the documented exit code, one line on
/// stderr starting "Error:" and holding one sentence, nothing on stdout, no crash or hang, and
/// nothing changed (`fieldbook export --json` byte-identical, no file added, removed or resized
/// anywhere in the workspace folder, scratch files included).
@Suite(.hostileWorkspaces)
struct HostileInputTests {
    @Test("each hostile command line is refused clearly and changes nothing", arguments: HostileCLIFixture.all("cli"))
    func commandLine(fixture: HostileCLIFixture) throws {
        try HostileWorkspaces.require().check(fixture)
    }

    @Test("each hostile bundle is refused clearly and changes nothing", arguments: HostileCLIFixture.all("bundles"))
    func bundle(fixture: HostileCLIFixture) throws {
        try HostileWorkspaces.require().check(fixture)
    }

    /// The variants are only meaningful if what they were made from imports.
    @Test("the bundles the hostile variants are made from import cleanly")
    func baseBundlesImport() throws {
        let workspaces = try HostileWorkspaces.require()
        for name in ["good-binary", "good-json", "good-sealed"] {
            let folder = try workspaces.copyOfTemplate()
            defer { try? FileManager.default.removeItem(at: folder) }
            let outcome = try workspaces.fieldbook(["bundle", "import", workspaces.bundles.appendingPathComponent("\(name).fbbundle").path], in: folder)
            #expect(outcome.status == 0, "\(name): \(outcome.stderrText)")
        }
    }
}

struct HostileWorkspacesTrait: SuiteTrait, TestScoping {
    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let workspaces = try HostileWorkspaces()
        defer { try? FileManager.default.removeItem(at: workspaces.root) }
        try await HostileWorkspaces.$current.withValue(workspaces) { try await function() }
        print("HostileInputTests: \(workspaces.tried) hostile inputs tried (\(HostileCLIFixture.all("cli").count) command lines, \(HostileCLIFixture.all("bundles").count) bundles)")
    }
}

extension Trait where Self == HostileWorkspacesTrait {
    static var hostileWorkspaces: Self { Self() }
}

/// A seeded workspace to copy for each case, and the hostile bundles made from good ones.
final class HostileWorkspaces: @unchecked Sendable {
    @TaskLocal static var current: HostileWorkspaces?

    static func require() throws -> HostileWorkspaces {
        try #require(current, "HostileInputTests runs inside its suite's scope")
    }

    static let engagement = "fixture-engagement"
    let root: URL
    let template: URL
    let bundles: URL
    /// Every command runs as Tess, whose identity (a file here) the sealed variants are sealed for.
    let environment: [String: String?]
    private(set) var values: [String: String] = [:]
    private let lock = NSLock()
    private var count = 0
    var tried: Int { lock.withLock { count } }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("fb-hostile-\(UUID().uuidString)")
        template = root.appendingPathComponent("template")
        bundles = root.appendingPathComponent("bundles")
        environment = ["FIELDBOOK_IDENTITY": root.appendingPathComponent("identity-tess").path]
        try FileManager.default.createDirectory(at: template, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: bundles, withIntermediateDirectories: true)

        func seed(_ arguments: [String], in folder: URL, environment: [String: String?] = [:]) throws -> String {
            let outcome = try fieldbook(arguments, in: folder, environment: environment)
            guard outcome.status == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "seeding \(arguments) failed: \(outcome.stderrText)"])
            }
            return outcome.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        // The workspace every case starts from: one engagement with a little of everything.
        _ = try seed(["init", "--engagement", "Hostile fixture", "--assessor", "Tess", "--id", Self.engagement], in: template)
        _ = try seed(["assess", "A.6.2.4", "--result", "partially-compliant", "--maturity", "2", "--note", "Validation done"], in: template)
        values["risk_id"] = try seed(["risk", "add", "Seeded risk", "--likelihood", "3", "--impact", "4", "--requirement", "MS-2.11"], in: template)
        try Data("the seeded evidence\n".utf8).write(to: template.appendingPathComponent("seed.txt"))
        values["evidence_id"] = String(try seed(["evidence", "add", "seed.txt", "--requirement", "GV-1.1"], in: template).prefix { $0 != " " })
        _ = try seed(["finding", "add", "Seeded finding", "--requirement", "6.1.4", "--severity", "major"], in: template)
        _ = try seed(["system", "add", "Credit scoring CS-7", "--stage", "deployed", "--risk-tier", "high"], in: template)

        // Another replica of the same engagement writes the good bundles, binary and JSON;
        // the script derives every hostile variant from them.
        let source = root.appendingPathComponent("source")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        _ = try seed(["init", "--engagement", "Hostile fixture", "--assessor", "Ana", "--id", Self.engagement], in: source)
        _ = try seed(["assess", "GV-1.1", "--result", "compliant", "--maturity", "2"], in: source)
        try Data("Signed AI policy\n".utf8).write(to: source.appendingPathComponent("policy.txt"))
        _ = try seed(["evidence", "add", "policy.txt", "--requirement", "GV-1.1"], in: source)
        _ = try seed(["bundle", "export", "-o", bundles.appendingPathComponent("good-binary.fbbundle").path], in: source)
        _ = try seed(["bundle", "export", "-o", bundles.appendingPathComponent("good-json.fbbundle").path], in: source,
                     environment: ["FIELDBOOK_BUNDLE_CHANGES": "json"])
        // Sealed by Ana for Tess (and Ana), three 64 KiB chunks and more; and for someone else.
        try Data((0 ..< 200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: source.appendingPathComponent("minutes.bin"))
        _ = try seed(["evidence", "add", "minutes.bin", "--requirement", "GV-1.1"], in: source)
        let ana: [String: String?] = ["FIELDBOOK_IDENTITY": root.appendingPathComponent("identity-ana").path]
        let someoneElse = try seed(["identity"], in: root, environment: ["FIELDBOOK_IDENTITY": root.appendingPathComponent("identity-other").path])
        _ = try seed(["bundle", "export", "-o", bundles.appendingPathComponent("good-sealed.fbbundle").path, "--recipient", try seed(["identity"], in: root)],
                     in: source, environment: ana)
        _ = try seed(["bundle", "export", "-o", bundles.appendingPathComponent("sealed-for-others.fbbundle").path, "--recipient", someoneElse],
                     in: source, environment: ana)
        let script = try RawProcess.run("/usr/bin/env", [Array("python3".utf8),
                                                          Array(HostileCLIFixture.root.appendingPathComponent("Scripts/make-hostile-bundles.py").path.utf8),
                                                          Array(bundles.appendingPathComponent("good-binary.fbbundle").path.utf8),
                                                          Array(bundles.appendingPathComponent("good-json.fbbundle").path.utf8),
                                                          Array(bundles.path.utf8),
                                                          Array(bundles.appendingPathComponent("good-sealed.fbbundle").path.utf8)], in: root, timeout: 120)
        guard script.status == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "make-hostile-bundles.py failed: \(script.stderrText)"])
        }
        values["good_bundle"] = bundles.appendingPathComponent("good-binary.fbbundle").path
    }

    func fieldbook(_ arguments: [String], in folder: URL, environment: [String: String?] = [:], timeout: TimeInterval = 60) throws -> RawProcess.Outcome {
        try RawProcess.run(FieldbookProcess.binary.path, arguments.map { Array($0.utf8) }, in: folder,
                           environment: self.environment.merging(environment) { $1 }, timeout: timeout)
    }

    func copyOfTemplate() throws -> URL {
        let folder = root.appendingPathComponent("case-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: template, to: folder)
        return folder
    }

    struct State: Equatable {
        let export: Data
        let files: [String]
    }

    /// The canonical export and every entry of the folder (files with their sizes), except the
    /// SQLite files themselves, which the export stands for.
    func state(of folder: URL) throws -> State {
        let export = try fieldbook(["export", "--json"], in: folder)
        let listing = try RawProcess.run("/usr/bin/find", [".", "!", "-name", "fieldbook.sqlite*", "(", "-type", "f", "-printf", "%P\tf\t%s\n", ")",
                                                           "-o", "!", "-name", "fieldbook.sqlite*", "!", "-type", "f", "-printf", "%P\t%y\n"].map { Array($0.utf8) },
                                         in: folder, timeout: 60)
        return State(export: export.status == 0 ? export.stdout : Data("export failed: ".utf8) + export.stderr,
                     files: listing.stdoutText.split(separator: "\n").map(String.init).sorted())
    }

    func check(_ fixture: HostileCLIFixture) throws {
        let (problems, usage) = try run(fixture)
        let named = { (problem: String) in Comment(rawValue: "\(fixture.testDescription) (\(fixture.description)): \(problem)") }
        if let known = fixture.known_issue {
            withKnownIssue(Comment(rawValue: known)) { for problem in problems + usage { Issue.record(named(problem)) } }
            return
        }
        for problem in problems { Issue.record(named(problem)) }
        // swift-argument-parser appends "Help:"/"Usage:" lines to its own errors (Main.swift
        // prints fullMessage(for:)); recorded apart, so they show without failing the case.
        withKnownIssue("argument-parser's errors: Help/Usage lines after the sentence, no full stop, '-1' read as a missing value", isIntermittent: true) {
            for problem in usage { Issue.record(named(problem)) }
        }
    }

    /// Runs one fixture in a fresh copy of the template; returns what went wrong, in words, and
    /// apart from it the usage lines argument-parser adds.
    func run(_ fixture: HostileCLIFixture) throws -> (problems: [String], usage: [String]) {
        guard fixture.expect_exit >= 0 else { return ([fixture.description], []) }
        let folder = try copyOfTemplate()
        defer { try? FileManager.default.removeItem(at: folder) }
        var values = self.values
        values["dir"] = folder.path
        values["db"] = folder.appendingPathComponent(".fieldbook/fieldbook.sqlite").path
        let variant = bundles.appendingPathComponent("\(fixture.bundle ?? fixture.name).fbbundle")
        values["bundle"] = variant.path
        if fixture.kind == "bundles" && !FileManager.default.fileExists(atPath: variant.path) {
            return (["Scripts/make-hostile-bundles.py wrote no \(variant.lastPathComponent)"], [])
        }
        for file in fixture.files ?? [] { try RawFile.make(file, in: folder, values: values) }
        var problems: [String] = []
        for step in fixture.setup ?? [] {
            let outcome = try RawProcess.run(FieldbookProcess.binary.path, step.map { HostileInput.expand($0, values) }, in: folder,
                                             environment: environment, timeout: 60)
            if outcome.status != 0 { problems.append("setup \(step) failed: \(outcome.stderrText)") }
        }
        let before = try state(of: folder)
        let arguments = (fixture.args ?? ["bundle", "import", "{bundle}"]).map { HostileInput.expand($0, values) }
        lock.withLock { count += 1 }
        let outcome = try RawProcess.run(FieldbookProcess.binary.path, arguments, in: folder, environment: environment, timeout: fixture.timeout ?? 30)
        let after = try state(of: folder)

        if outcome.timedOut {
            problems.append("still running after \(Int(fixture.timeout ?? 30)) s (killed): it hangs or reads forever")
        } else if let signal = outcome.signal {
            problems.append("crashed with signal \(signal): \(outcome.stderrText.prefix(300))")
        } else if outcome.status != fixture.expect_exit {
            problems.append("exit \(outcome.status), expected \(fixture.expect_exit): \(outcome.stderrText.prefix(300))")
        }
        if before.export != after.export { problems.append("the export changed") }
        if before.files != after.files {
            let changed = Set(before.files).symmetricDifference(after.files).sorted()
            problems.append("files changed: \(changed.prefix(6).map { String($0.prefix(120)) })")
        }
        var usage: [String] = []
        if !outcome.timedOut && outcome.signal == nil {
            if !outcome.stdout.isEmpty { problems.append("printed on stdout: \(outcome.stdoutText.prefix(200))") }
            let lines = outcome.stderrText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let first = lines.first ?? ""
            let rest = lines.dropFirst().filter { !$0.isEmpty }
            // argument-parser's own errors (what it parsed, validate()) come with usage lines;
            // their wording is argument-parser's, so their shortcomings are recorded apart.
            let fromParser = !rest.isEmpty && rest.allSatisfy { $0.hasPrefix("Help:") || $0.hasPrefix("Usage:") || $0.hasPrefix("  See '") || $0.hasPrefix("       ") }
            if fromParser { usage.append("stderr holds \(rest.count) more lines: \(rest.prefix(3).map { String($0.prefix(100)) })") }
            else if !rest.isEmpty { problems.append("stderr holds \(rest.count) more lines: \(rest.prefix(3).map { String($0.prefix(100)) })") }
            if !first.hasPrefix("Error: ") {
                problems.append("stderr does not start with 'Error: ': '\(outcome.stderrText.prefix(200))'")
            } else if let why = HostileInput.notOneSentence(String(first.dropFirst("Error: ".count)), maximumLength: 400) {
                (fromParser ? { usage.append($0) } : { problems.append($0) })("the error \(why): '\(first.prefix(400))'")
            }
            if let expected = fixture.stderr_contains, !outcome.stderrText.lowercased().contains(expected.lowercased()) {
                problems.append("stderr does not mention '\(expected)': '\(first.prefix(300))'")
            }
        }
        return (problems, usage)
    }
}

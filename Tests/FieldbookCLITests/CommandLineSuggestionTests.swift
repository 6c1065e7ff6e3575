import Foundation
import Testing

/// A slip of the hand on the command line is named, with the nearest real command, option or
/// requirement id, and changes nothing (issue 18's trial: `--reslt`, `exprot`, `GV-9.9`).
@Suite struct CommandLineSuggestionTests {
    @Test("an unknown option is named with the nearest real one, not a missing option noticed first",
          arguments: [(["assess", "GV-1.1", "--reslt", "compliant"], "--reslt", "--result", "fieldbook assess"),
                      (["risk", "add", "Drift", "--likelihood", "2", "--impac", "3"], "--impac", "--impact", "fieldbook risk add"),
                      (["assess", "GV-1.1", "--result=compliant", "--notee", "x"], "--notee", "--note", "fieldbook assess"),
                      (["catalog", "show", "GV-1.1", "--jsn"], "--jsn", "--json", "fieldbook catalog show")])
    func unknownOptions(arguments: [String], typed: String, meant: String, command: String) throws {
        let ws = try CLIWorkspace()
        try ws.expectRefusal(arguments, status: 1, mentioning: "Unknown option '\(typed)' for '\(command)' (did you mean '\(meant)'?)")
        let line = try ws.run(arguments).stderr
        #expect(line.split(separator: "\n").count == 1 && line.contains("'\(command) --help'"), "\(line)")
    }

    @Test("an unknown command is named with the nearest real one at its level")
    func unknownCommands() throws {
        let ws = try CLIWorkspace()
        try ws.expectRefusal(["exprot"], status: 1, mentioning: "Unknown command 'exprot' for 'fieldbook' (did you mean 'export'?)")
        try ws.expectRefusal(["bundle", "exprt", "-o", "x.fbbundle"], status: 1, mentioning: "(did you mean 'export'?)")
        let far = try ws.run("zzzzzzzz")
        #expect(far.status == 1 && far.stderr.contains("Unknown command 'zzzzzzzz'") && !far.stderr.contains("did you mean"), "\(far.stderr)")
        // A valid command line is untouched by the suggestions.
        #expect(try ws.run("assess", "GV-1.1", "--result=compliant").status == 0)
    }

    @Test("an unknown requirement is answered with ids of the framework its form names")
    func requirementSuggestionsStayInTheirFramework() throws {
        let ws = try CLIWorkspace()
        let ai = try ws.run("assess", "GV-9.9", "--result", "compliant")
        #expect(ai.status == 2 && ai.stderr.contains("did you mean nist-ai-rmf:GOVERN-"), "\(ai.stderr)")
        #expect(!ai.stderr.contains("iso42001:"), "\(ai.stderr)")
        let iso = try ws.run("assess", "A.99", "--result", "compliant")
        #expect(iso.status == 2 && iso.stderr.contains("did you mean iso42001:A."), "\(iso.stderr)")
        #expect(!iso.stderr.contains("nist-ai-rmf:"), "\(iso.stderr)")
    }

    @Test("an explicit --workspace that holds none says so without 'or above it'")
    func explicitWorkspace() throws {
        let process = FieldbookProcess()
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("fb-none-\(UUID().uuidString)").path
        let outcome = try process.run(["--workspace", missing, "status"])
        #expect(outcome.status == 2, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("No Fieldbook workspace at \(missing);") && !outcome.stderr.contains("or above it"), "\(outcome.stderr)")
    }
}

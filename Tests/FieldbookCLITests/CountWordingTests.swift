import Foundation
import Testing

/// Counts in words that agree with their number ("1 risk", never "1 risks"), and help that
/// names every kind a command offers.
@Suite struct CountWordingTests {
    @Test("one of a thing is singular: 1 risk, 1 finding, 1 new conflict, 1 assessor")
    func singularCounts() throws {
        let ws = try CLIWorkspace()
        #expect(try ws.run("risk", "add", "Drift", "--likelihood", "2", "--impact", "3").status == 0)
        #expect(try ws.run("finding", "add", "No policy", "--requirement", "5.2").status == 0)
        let text = try ws.run("status").stdout
        #expect(text.contains("Recorded    1 risk, 0 evidence files, 1 finding\n"), "\(text)")
        let verified = try ws.run("log", "--verify").stdout
        #expect(verified.contains(" by 1 assessor:"), "\(verified)")

        // One field edited on both sides: the import reports one new conflict.
        let bundle = ws.folder.appendingPathComponent("ana.fbbundle"), back = ws.folder.appendingPathComponent("ben.fbbundle")
        #expect(try ws.run("assess", "A.6.2.4", "--result", "partially-compliant").status == 0)
        #expect(try ws.run("bundle", "export", "-o", bundle.path).status == 0)
        let ben = FieldbookProcess(workingDirectory: ws.folder)
        let benFolder = ws.folder.appendingPathComponent("ben").path
        #expect(try ben.run(["clone", bundle.path, "--assessor", "Ben", "--workspace", benFolder]).status == 0)
        #expect(try ben.run(["--workspace", benFolder, "assess", "A.6.2.4", "--result", "compliant"]).status == 0)
        #expect(try ben.run(["--workspace", benFolder, "bundle", "export", "-o", back.path]).status == 0)
        #expect(try ws.run("assess", "A.6.2.4", "--result", "non-compliant").status == 0)
        let imported = try ws.run("bundle", "import", back.path)
        #expect(imported.status == 0 && imported.stdout.contains("1 new conflict:"), "\(imported.stdout)")
    }

    @Test("catalog frameworks counts its levels in the plural where there are several")
    func catalogLevels() throws {
        let text = try FieldbookProcess().run(["catalog", "frameworks"]).stdout
        #expect(text.contains(" categories,") && text.contains(" subcategories") && !text.contains(" category,"), "\(text)")
        #expect(text.contains(" rows)"), "\(text)")
    }

    @Test("report --help names every report kind it has")
    func reportHelpListsEveryKind() throws {
        let help = try FieldbookProcess().run(["report", "--help"]).stdout
        // The overview may wrap: it runs to the first empty line.
        let overview = try #require(help.components(separatedBy: "\n\n").first { $0.hasPrefix("OVERVIEW:") })
        let section = try #require(help.components(separatedBy: "SUBCOMMANDS:\n").last)
        // A subcommand's line starts with two spaces and its name; wrapped descriptions are indented further.
        let kinds = section.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }
            .compactMap { $0.split(separator: " ").first.map(String.init) }.filter { $0 != "help" && $0.allSatisfy { $0.isLowercase || $0 == "-" } }
        #expect(Set(kinds).isSuperset(of: ["gap", "risks", "soa", "progress"]), "\(kinds)")
        for kind in kinds { #expect(overview.contains(kind), "OVERVIEW does not name '\(kind)': \(overview)") }
    }
}

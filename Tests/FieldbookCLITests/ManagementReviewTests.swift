import Foundation
import Testing

/// `report review`: the management review's inputs (ISO/IEC 42001 9.3.2) for a period, from the
/// engagement's log, through the real binary.
struct ManagementReviewTests {
    /// 2026-01-10 and 2026-06-01 at noon UTC.
    static let january = "1768046400000", june = "1780315200000"

    @Test("actions raised before the period are the earlier actions; what was raised and closed in it is counted")
    func period() throws {
        // Every change stamped by a fixed clock from the start: a clock never runs backwards, so
        // a workspace made today could not write in January.
        let workspace = try CLIWorkspace(initialize: false)
        let before = FieldbookProcess(workingDirectory: workspace.folder, environment: ["FIELDBOOK_NOW_MS": Self.january])
        let during = FieldbookProcess(workingDirectory: workspace.folder, environment: ["FIELDBOOK_NOW_MS": Self.june])
        #expect(try before.run(["init", "--engagement", "Acme", "--assessor", "Ana"]).status == 0)
        let old = try before.run(["finding", "add", "No impact assessment", "--requirement", "6.1.4", "--severity", "major", "--json"])
        #expect(old.status == 0, "\(old.stderr)")
        let oldID = try #require(try old.json["id"] as? String)
        #expect(try before.run(["risk", "add", "Drift", "--likelihood", "2", "--impact", "2"]).status == 0)
        #expect(try during.run(["finding", "add", "Logs not kept", "--requirement", "A.6.2.8", "--severity", "minor",
                                "--root-cause", "No retention rule", "--corrective-action", "Set a 2-year retention"]).status == 0)
        #expect(try during.run(["finding", "verify", oldID, "--result", "effective"]).status == 0)
        #expect(try during.run(["finding", "update", oldID, "--status", "closed"]).status == 0)
        #expect(try during.run(["risk", "add", "Unfair outcomes", "--likelihood", "4", "--impact", "5"]).status == 0)

        let review = try during.run(["report", "review", "--since", "2026-05-01", "--format", "json"])
        #expect(review.status == 0, "\(review.stderr)")
        let document = try review.json
        #expect(document["since"] as? String == "2026-05-01")
        let earlier = try #require(document["earlier_actions"] as? [[String: Any]])
        #expect(earlier.map { $0["title"] as? String } == ["No impact assessment"])
        #expect(earlier.first?["status"] as? String == "closed")
        // The period's nonconformities with their 10.2 record: the one raised and the one closed in it.
        let period = try #require(document["period_actions"] as? [[String: Any]])
        #expect(Set(period.compactMap { $0["title"] as? String }) == ["No impact assessment", "Logs not kept"])
        let logs = try #require(period.first { $0["title"] as? String == "Logs not kept" })
        #expect(logs["root_cause"] as? String == "No retention rule" && logs["corrective_action"] as? String == "Set a 2-year retention")
        #expect((period.first { $0["title"] as? String == "No impact assessment" }?["verification"] as? String)?.hasPrefix("Verified effective by Ana on 2026-06-01") == true)
        let markdown = try during.run(["report", "review", "--since", "2026-05-01"]).stdout
        #expect(markdown.contains("No retention rule") && markdown.contains("| verification |"), "\(markdown)")
        let nonconformities = try #require(document["nonconformities"] as? [String: Int])
        #expect(nonconformities == ["raised": 1, "closed": 1, "open_at_end": 1, "overdue_at_end": 0])
        let risks = try #require(document["risks"] as? [String: Int])
        #expect(risks["identified"] == 1 && risks["raised_to_high"] == 1 && risks["open_high_or_critical"] == 1, "\(risks)")
        let notHeld = try #require(document["not_held"] as? [String])
        #expect(notHeld.count == 2)

        // The whole engagement by default: both findings raised in it, none earlier.
        let whole = try during.run(["report", "review", "--format", "json"]).json
        #expect((whole["earlier_actions"] as? [Any])?.isEmpty == true)
        #expect((whole["nonconformities"] as? [String: Int])?["raised"] == 2)
    }

    @Test("the review comes in every format, Word included, and refuses a date that is not one")
    func formats() throws {
        let workspace = try CLIWorkspace()
        for format in ["md", "html", "csv"] {
            let outcome = try workspace.run("report", "review", "--format", format)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(outcome.stdout.contains("review") || outcome.stdout.contains("nonconformities"), "\(format)")
        }
        let word = workspace.folder.appendingPathComponent("review.docx")
        #expect(try workspace.run("report", "review", "--format", "docx", "-o", word.path).status == 0)
        #expect(try Data(contentsOf: word).prefix(2) == Data("PK".utf8))
        try workspace.expectRefusal(["report", "review", "--since", "2026-02-30"], status: 1, mentioning: "--since")
    }
}

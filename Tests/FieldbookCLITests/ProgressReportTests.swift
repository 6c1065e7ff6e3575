import Foundation
import Testing

/// `report progress` against a scripted history (each command at a fixed time through
/// FIELDBOOK_NOW_MS) whose answer is worked out by hand below.
struct ProgressReportTests {
    static func at(_ date: String) -> String {
        let formatter = ISO8601DateFormatter()
        return String(Int64(formatter.date(from: date + "T09:00:00Z")!.timeIntervalSince1970 * 1000))
    }

    @Test("gaps opened and closed per month and quarter, share assessed, days to mitigate a critical risk")
    func scriptedHistory() throws {
        let ws = try CLIWorkspace(initialize: false)
        func run(_ date: String, _ arguments: String...) throws -> String {
            let outcome = try FieldbookProcess(workingDirectory: ws.folder, environment: ["FIELDBOOK_NOW_MS": Self.at(date)]).run(arguments)
            #expect(outcome.status == 0, "\(arguments): \(outcome.stderr)")
            return outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        _ = try run("2026-01-10", "init", "--engagement", "History", "--assessor", "Ana")
        _ = try run("2026-01-10", "assess", "GV-1.1", "--result", "non-compliant")       // January: gap opened
        _ = try run("2026-01-10", "assess", "A.6.2.4", "--result", "compliant")
        let risk = try run("2026-01-10", "risk", "add", "Bias", "--likelihood", "4", "--impact", "5")
        _ = try run("2026-02-15", "assess", "GV-1.1", "--result", "compliant")            // February: closed
        _ = try run("2026-02-15", "assess", "6.1.2", "--result", "partially-compliant")   // February: opened
        _ = try run("2026-04-05", "assess", "6.1.2", "--result", "non-compliant")         // still a gap: neither
        _ = try run("2026-04-05", "risk", "update", risk, "--status", "mitigated")        // 85 days after logging

        let monthly = try ws.run("report", "progress", "--format", "json").json
        let rows = try #require(monthly["periods"] as? [[String: Any]])
        #expect(rows.map { $0["period"] as? String } == ["2026-01", "2026-02", "2026-03", "2026-04"])
        #expect(rows.map { $0["gaps_opened"] as? Int } == [1, 1, 0, 0])
        #expect(rows.map { $0["gaps_closed"] as? Int } == [0, 1, 0, 0])
        #expect(rows.map { $0["open_gaps"] as? Int } == [1, 1, 1, 1])
        #expect(rows.map { $0["assessed"] as? Int } == [2, 3, 3, 3])
        let high = try #require(monthly["high_risks"] as? [String: Any])
        #expect(high["logged"] as? Int == 1 && high["mitigated"] as? Int == 1)
        #expect(high["mean_days_to_mitigate"] as? Double == 85 && high["worst_days_to_mitigate"] as? Double == 85)

        let quarterly = try #require(try ws.run("report", "progress", "--by", "quarter", "--format", "json").json["periods"] as? [[String: Any]])
        #expect(quarterly.map { $0["period"] as? String } == ["2026-Q1", "2026-Q2"])
        #expect(quarterly.map { $0["gaps_opened"] as? Int } == [2, 0])
        #expect(quarterly.map { $0["gaps_closed"] as? Int } == [1, 0])
        let html = try ws.run("report", "progress", "--format", "html").stdout
        #expect(html.contains("<svg") && html.contains("Burn-up") && !html.contains("<script"))
        #expect(try ws.run("report", "progress", "--format", "csv").stdout.split(separator: "\r\n").count == 5)
        #expect(try ws.run("report", "progress", "--by", "year").status == 1)
    }
}

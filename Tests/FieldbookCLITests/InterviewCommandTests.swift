import Foundation
import Testing

/// Interviews through the real binary (issue 30): recorded, updated, listed, shown and deleted
/// with `--json`; refusals one sentence, their documented exit codes, nothing written.
struct InterviewCommandTests {
    @Test("interview add, update, list, show and delete with --json; refusals are one sentence and write nothing")
    func interviews() throws {
        let ws = try CLIWorkspace()
        let notes = try ws.file("notes.txt", "Approvals are recorded in the release tool.\nSigned off by the CISO.")
        let added = try ws.run("interview", "add", "--with", "Dana Lee, Head of ML, EMEA", "--date", "2026-03-02", "--requirement", "A.6.2.5",
                               "--requirement", "GV-1.1", "--notes", notes.path, "--json").json
        let id = try #require(added["id"] as? String)
        #expect(added["kind"] as? String == "interview" && added["interviewee"] as? String == "Dana Lee" && added["role"] as? String == "Head of ML, EMEA")
        #expect(added["date"] as? String == "2026-03-02" && (added["notes"] as? String)?.hasPrefix("Approvals are recorded") == true)
        #expect(added["requirements"] as? [String] == ["iso42001:A.6.2.5", "nist-ai-rmf:GOVERN-1.1"])
        let updated = try ws.run("interview", "update", String(id.prefix(13)), "--date", "2026-03-03", "--json").json
        #expect(updated["date"] as? String == "2026-03-03")
        #expect(try ws.ok("interview", "update", id, "--date", "2026-03-03") == "Interview \(id) unchanged: it already holds those values.")
        let listed = try #require(try ws.run("interview", "list", "--json").json["interviews"] as? [[String: Any]])
        #expect(listed.map { $0["id"] as? String } == [id])
        #expect(try ws.run("interview", "show", id, "--json").json["interviewee"] as? String == "Dana Lee")
        #expect(try ws.ok("interview", "show", id).contains("Interview with Dana Lee, Head of ML, EMEA"))

        try ws.expectRefusal(["interview", "add", "--with", "Sam Ortiz", "--date", "2026-03-02"], status: 1, mentioning: "An interview needs at least one requirement")
        try ws.expectRefusal(["interview", "add", "--with", "Sam Ortiz", "--date", "02/03/2026", "--requirement", "9.2.1"], status: 1,
                             mentioning: "Date must be a date written YYYY-MM-DD")
        try ws.expectRefusal(["interview", "add", "--with", "Sam Ortiz", "--date", "2026-02-30", "--requirement", "9.2.1"], status: 1)
        try ws.expectRefusal(["interview", "add", "--date", "2026-03-02", "--requirement", "9.2.1"], status: 1, mentioning: "--with")
        try ws.expectRefusal(["interview", "add", "--with", ", CISO", "--date", "2026-03-02", "--requirement", "9.2.1"], status: 1)
        try ws.expectRefusal(["interview", "add", "--with", "Sam", "--date", "2026-03-02", "--requirement", "9.2.1", "--notes", "missing.txt"], status: 2)
        let binary = ws.folder.appendingPathComponent("notes.bin")
        try Data([0x00, 0xFF, 0xFE]).write(to: binary)
        try ws.expectRefusal(["interview", "add", "--with", "Sam", "--date", "2026-03-02", "--requirement", "9.2.1", "--notes", binary.path],
                             status: 1, mentioning: "is not UTF-8 text")
        try ws.expectRefusal(["interview", "update", "0193ffff-ffff", "--date", "2026-03-02"], status: 2)
        try ws.expectRefusal(["interview", "update", id], status: 1, mentioning: "Nothing to change")
        let refusal = try ws.run("interview", "add", "--with", "Sam", "--date", "2026-13-01", "--requirement", "9.2.1")
        #expect(refusal.stderr.split(separator: "\n").count == 1, "\(refusal.stderr)")
        #expect(try ws.ok("interview", "delete", id).hasPrefix("Deleted interview \(id)"))
        #expect((try ws.run("interview", "list", "--json").json["interviews"] as? [Any])?.isEmpty == true)
    }
}

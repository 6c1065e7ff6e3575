import Foundation
import Testing

/// Evidence requests through the real binary (issue 30): asked, listed and shown with `--json`,
/// answered by `evidence add --fulfils`, overdue in `status` and the reports' key figures, and one
/// request edited by two assessors apart holding one request after a bundle exchange each way.
struct EvidenceRequestCommandTests {
    private func requests(_ ws: CLIWorkspace) throws -> [[String: Any]] {
        try #require(try ws.run("request", "list", "--json").json["requests"] as? [[String: Any]])
    }

    @Test("request add, update, list and show, with --json; refusals are one sentence and write nothing")
    func lifecycle() throws {
        let ws = try CLIWorkspace()
        let added = try ws.run("request", "add", "AI policy, signed", "--requirement", "5.2", "--requirement", "GV-1.1",
                               "--from", "Dana Lee, CISO", "--due", "2099-01-31", "--description", "The approved policy", "--json").json
        let id = try #require(added["id"] as? String)
        #expect(added["kind"] as? String == "request" && added["status"] as? String == "requested" && added["contact"] as? String == "Dana Lee, CISO")
        #expect(added["requirements"] as? [String] == ["iso42001:5.2", "nist-ai-rmf:GOVERN-1.1"] && added["overdue"] as? Bool == false)
        let updated = try ws.run("request", "update", String(id.prefix(13)), "--status", "rejected", "--comment", "Draft only", "--json").json
        #expect(updated["status"] as? String == "rejected" && updated["client_comment"] as? String == "Draft only")
        #expect(try ws.ok("request", "update", id, "--status", "rejected") == "Request \(id) unchanged: it already holds those values.")
        #expect(try requests(ws).map { $0["id"] as? String } == [id])
        #expect(try ws.run("request", "list", "--status", "accepted", "--json").json["requests"] as? [Any] != nil)
        #expect((try ws.run("request", "list", "--status", "accepted", "--json").json["requests"] as? [Any])?.isEmpty == true)
        let shown = try ws.run("request", "show", id, "--json").json
        #expect((shown["request"] as? [String: Any])?["title"] as? String == "AI policy, signed")
        #expect((shown["evidence"] as? [Any])?.isEmpty == true)

        try ws.expectRefusal(["request", "add", "Model cards"], status: 1, mentioning: "An evidence request needs at least one requirement")
        try ws.expectRefusal(["request", "add", "Model cards", "--requirement", "MP-4.1", "--due", "31/01/2027"], status: 1,
                             mentioning: "Due must be a date written YYYY-MM-DD")
        try ws.expectRefusal(["request", "add", "Model cards", "--requirement", "MP-4.1", "--status", "done"], status: 1)
        try ws.expectRefusal(["request", "add", " ", "--requirement", "MP-4.1"], status: 1, mentioning: "Request title is blank")
        try ws.expectRefusal(["request", "update", "0193ffff-ffff", "--status", "received"], status: 2)
        try ws.expectRefusal(["request", "update", id], status: 1, mentioning: "Nothing to change")
        try ws.expectRefusal(["evidence", "add", try ws.file("x.pdf", "x").path, "--fulfils", "0193ffff-ffff"], status: 2)
        let refusal = try ws.run("request", "add", "Model cards", "--requirement", "MP-4.1", "--due", "2027-02-30")
        #expect(refusal.stderr.split(separator: "\n").count == 1, "\(refusal.stderr)")
    }

    @Test("evidence add --fulfils attaches, links and marks the request received; a cancelled request refuses it (exit 3)")
    func fulfils() throws {
        let ws = try CLIWorkspace()
        let id = try ws.ok("request", "add", "Model cards", "--requirement", "MP-4.1", "--due", "2099-01-31")
        let evidence = try ws.run("evidence", "add", try ws.file("card.pdf", "model card").path, "--fulfils", id, "--json").json
        #expect(evidence["requirements"] as? [String] == ["nist-ai-rmf:MAP-4.1"], "the request's requirements by default")
        let shown = try ws.run("request", "show", id, "--json").json
        #expect((shown["request"] as? [String: Any])?["status"] as? String == "received")
        #expect((shown["evidence"] as? [[String: Any]])?.map { $0["filename"] as? String } == ["card.pdf"])
        try ws.ok("request", "update", id, "--status", "cancelled")
        try ws.expectRefusal(["evidence", "add", try ws.file("more.pdf", "more").path, "--fulfils", id], status: 3, mentioning: "is cancelled")
    }

    @Test("an overdue request shows in status, the key figures of every format and the dashboard's figures; answered, it no longer does")
    func overdue() throws {
        let ws = try CLIWorkspace()
        let late = try ws.ok("request", "add", "Access review log", "--requirement", "A.6.2.8", "--from", "Ops", "--due", "2020-01-31")
        try ws.ok("request", "add", "Model cards", "--requirement", "MP-4.1", "--due", "2099-01-31")
        let status = try ws.run("status", "--json").json
        let overdue = try #require(status["overdue_requests"] as? [[String: Any]])
        #expect(overdue.map { $0["request"] as? String } == [late] && overdue.first?["due"] as? String == "2020-01-31")
        #expect(try ws.ok("status").contains("Requests    1 evidence request overdue: Access review log (due 2020-01-31, from Ops)"))
        #expect(try requests(ws).first?["overdue"] as? Bool == true)
        #expect(try ws.ok("request", "list", "--overdue").contains(late))
        let kpis = try #require(try ws.run("report", "gap", "--framework", "iso42001", "--format", "json").json["kpis"] as? [String: Any])
        let figures = try #require(kpis["requests"] as? [String: Any])
        #expect(figures["total"] as? Int == 2 && figures["outstanding"] as? Int == 2 && figures["overdue"] as? Int == 1)
        #expect((figures["overdue_requests"] as? [[String: Any]])?.first?["title"] as? String == "Access review log")
        #expect(try ws.ok("report", "risks", "--format", "md").contains("| Access review log | 2020-01-31 | Ops |"))
        #expect(try ws.ok("report", "risks", "--format", "html").contains("<td>Access review log</td><td class=\"non-compliant\">2020-01-31</td>"))
        #expect(try ws.run("report", "gap", "--framework", "iso42001", "--format", "csv").stdout.contains(",requests.overdue,1\r\n"))
        try ws.ok("evidence", "add", try ws.file("review.xlsx", "log").path, "--fulfils", late)
        #expect(try ws.run("status", "--json").json["overdue_requests"] == nil)
        let after = try #require(try ws.run("report", "gap", "--framework", "iso42001", "--format", "json").json["kpis"] as? [String: Any])
        #expect((after["requests"] as? [String: Any])?["overdue"] as? Int == 0)
    }

    @Test("two assessors update one request offline; after a bundle each way both hold one request, the same state, the concurrent status a conflict")
    func merge() throws {
        let ana = try CLIWorkspace(assessor: "Ana")
        let id = try ana.ok("request", "add", "Training records", "--requirement", "7.2", "--due", "2099-03-01")
        let first = ana.folder.appendingPathComponent("a1.fbbundle").path
        try ana.ok("bundle", "export", "-o", first)
        let ben = try CLIWorkspace(initialize: false)
        try ben.ok("clone", first, "--assessor", "Ben")
        try ana.ok("request", "update", id, "--status", "received")
        try ben.ok("request", "update", id, "--status", "rejected", "--comment", "Only half the staff", "--due", "2099-04-01")
        let a2 = ana.folder.appendingPathComponent("a2.fbbundle").path, b2 = ben.folder.appendingPathComponent("b2.fbbundle").path
        try ana.ok("bundle", "export", "-o", a2)
        try ben.ok("bundle", "export", "-o", b2)
        try ana.ok("bundle", "import", b2)
        try ben.ok("bundle", "import", a2)
        #expect(try ana.export() == ben.export())
        #expect(try requests(ana).count == 1 && requests(ben).count == 1)
        let conflicts = try #require(try ana.run("conflicts", "--json").json["conflicts"] as? [[String: Any]])
        #expect(conflicts.map { "\($0["entity"] ?? "") \($0["field"] ?? "")" } == ["\(id) status"])
        let merged = try #require(try requests(ana).first)
        #expect(merged["client_comment"] as? String == "Only half the staff" && merged["due"] as? String == "2099-04-01")
        try ana.ok("resolve", id, "status", "--keep", "Ben")
        #expect(try requests(ana).first?["status"] as? String == "rejected")
    }
}

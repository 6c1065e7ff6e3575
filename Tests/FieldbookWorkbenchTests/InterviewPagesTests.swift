import FieldbookModel
import FieldbookStore
@testable import FieldbookWorkbench
import Foundation
import Testing

/// The interview pages (issue 30): the list, recording one, an interview's page and changing
/// it; each refusal one sentence with nothing written, as `fieldbook interview` refuses it.
struct InterviewPagesTests {
    func isOneSentence(_ text: String) -> Bool {
        !text.isEmpty && !text.contains("\n") && (text.hasSuffix(".") || text.hasSuffix(")"))
    }

    func onlyInterview(_ harness: WorkbenchHarness) throws -> Interview {
        let interviews = try harness.workspace.all(Interview.self)
        try #require(interviews.count == 1)
        return interviews[0]
    }

    @Test("record an interview: with whom and their role read as --with reads them, date, notes, requirements; listed, shown, on the requirement's page")
    func add() async throws {
        let harness = try WorkbenchHarness()
        defer { harness.remove() }
        let outcome = try await harness.post("/interviews", [("with", "Dana Lee, Head of Data, EMEA"), ("date", "2026-03-02"),
                                                             ("requirements", "A.6.2.8, GV-1.1"), ("notes", "Walked through the <model> register")],
                                             back: "/interviews")
        #expect(!outcome.refused && outcome.answer.location == "/interviews" && outcome.text.hasPrefix("Recorded the interview with Dana Lee"), "\(outcome.text)")
        let interview = try onlyInterview(harness)
        #expect(interview.interviewee == "Dana Lee" && interview.role == "Head of Data, EMEA" && interview.date == "2026-03-02")
        #expect(interview.notes == "Walked through the <model> register")
        #expect(interview.requirements.sorted() == ["iso42001:A.6.2.8", "nist-ai-rmf:GOVERN-1.1"])

        let list = try await harness.get("/interviews")
        #expect(list.status == .ok && list.body.contains(#"<a href="/interviews" aria-current="page">Interviews</a>"#))
        #expect(list.body.contains(#"<a href="/interviews/\#(interview.id)">Dana Lee</a></td><td>Head of Data, EMEA</td><td>2026-03-02</td>"#))
        let page = try await harness.get("/interviews/\(interview.id)")
        #expect(page.status == .ok && page.body.contains("<h1>Interview with Dana Lee, Head of Data, EMEA</h1>"))
        #expect(page.body.contains("Walked through the &lt;model&gt; register"), "the notes shown, escaped")
        let requirement = try await harness.get("/requirements/nist-ai-rmf:GOVERN-1.1")
        #expect(requirement.body.contains(#"<a href="/interviews/\#(interview.id)">Interview with Dana Lee, Head of Data, EMEA</a> on 2026-03-02"#))
        let missing = try await harness.get("/interviews/0000ffff")
        #expect(missing.status == .notFound)
    }

    @Test("refusals: no one named, no date, a bad date, no or an unknown requirement; one sentence, nothing written")
    func refusals() async throws {
        let harness = try WorkbenchHarness()
        defer { harness.remove() }
        let before = try harness.changes()
        let good: [(String, String)] = [("with", "Dana Lee, Head of Data"), ("date", "2026-03-02"), ("requirements", "A.6.2.8")]
        let cases: [(String, [(String, String)], String)] = [
            ("no one named", [("date", "2026-03-02"), ("requirements", "A.6.2.8")], "who was interviewed"),
            ("a role and no name", [("with", ", Head of Data"), ("date", "2026-03-02"), ("requirements", "A.6.2.8")], "blank"),
            ("no date", [("with", "Dana Lee"), ("requirements", "A.6.2.8")], "when the interview was held"),
            ("a bad date", [("with", "Dana Lee"), ("date", "02/03/2026"), ("requirements", "A.6.2.8")], "2026"),
            ("no requirement", [("with", "Dana Lee"), ("date", "2026-03-02")], "requirement"),
            ("an unknown requirement", [("with", "Dana Lee"), ("date", "2026-03-02"), ("requirements", "Z.99")], "Z.99"),
        ]
        for (name, fields, mentions) in cases {
            let outcome = try await harness.post("/interviews", fields, back: "/interviews")
            #expect(outcome.refused && isOneSentence(outcome.text) && outcome.text.contains(mentions), "\(name): \(outcome.text)")
        }
        let forged = try await harness.post("/interviews", good, token: false)
        #expect(forged.answer.status == .forbidden)
        #expect(try harness.changes() == before, "a refused form writes nothing")
        #expect(try harness.workspace.all(Interview.self, includeDeleted: true).isEmpty)
    }

    @Test("change the date, person, notes and requirements; an unchanged form writes nothing; a bad date is refused")
    func update() async throws {
        let harness = try WorkbenchHarness()
        defer { harness.remove() }
        _ = try await harness.post("/interviews", [("with", "Dana Lee, Head of Data"), ("date", "2026-03-02"), ("requirements", "A.6.2.8")])
        let id = try onlyInterview(harness).id
        let path = "/interviews/\(id)"
        let outcome = try await harness.post(path, [("with", "Dana Lee, Chief Data Officer"), ("date", "2026-03-03"), ("notes", "Second session"),
                                                    ("requirements", "GV-1.1"), ("unlink", "iso42001:A.6.2.8")], back: path)
        #expect(!outcome.refused && outcome.answer.location == path && outcome.text == "Saved interview \(id).", "\(outcome.text)")
        let changed = try onlyInterview(harness)
        #expect(changed.role == "Chief Data Officer" && changed.date == "2026-03-03" && changed.notes == "Second session")
        #expect(changed.requirements == ["nist-ai-rmf:GOVERN-1.1"])
        let written = try harness.changes()
        let again = try await harness.post(path, [("with", "Dana Lee, Chief Data Officer"), ("date", "2026-03-03")])
        #expect(!again.refused && again.text == "Nothing changed.")
        let bad = try await harness.post(path, [("date", "2026-02-30")])
        #expect(bad.refused && isOneSentence(bad.text), "\(bad.text)")
        #expect(try harness.changes() == written)
        let page = try await harness.get(path)
        #expect(page.body.contains("<h2>History</h2>") && page.body.contains("Second session"))
    }
}

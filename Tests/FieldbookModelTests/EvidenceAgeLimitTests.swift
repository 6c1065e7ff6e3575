import FieldbookModel
import Testing

/// The engagement's evidence age limit (`--stale-after`), the date evidence speaks for, and
/// when an evidence request is overdue (issue 30).
struct EvidenceAgeLimitTests {
    @Test("a limit is a positive count and d, w, m or y, stored in one form", arguments: [
        ("12m", "12m"), ("90d", "90d"), ("6W", "6w"), (" 1y ", "1y"),
    ])
    func reads(typed: String, stored: String) throws {
        #expect(try #require(EvidenceAgeLimit(typed)).description == stored)
    }

    @Test("anything else is refused", arguments: ["", "12", "m", "0m", "-3d", "12 months", "1.5y", "12x", "99999d", "١٢m"])
    func refuses(typed: String) {
        #expect(EvidenceAgeLimit(typed) == nil)
    }

    @Test("the cutoff counts calendar months and years, days and weeks back from today", arguments: [
        ("12m", "2027-03-31", "2026-03-31"), ("1y", "2027-03-31", "2026-03-31"), ("1m", "2027-03-31", "2027-02-28"),
        ("1m", "2028-03-31", "2028-02-29"), ("3m", "2027-01-15", "2026-10-15"), ("90d", "2027-03-31", "2026-12-31"),
        ("2w", "2027-01-05", "2026-12-22"), ("1d", "2027-03-01", "2027-02-28"),
    ])
    func cutoff(limit: String, today: String, expected: String) throws {
        #expect(try #require(EvidenceAgeLimit(limit)).cutoff(today: today) == expected)
    }

    @Test("evidence is stale when the date it speaks for is before the cutoff; as of, then the period's end, then the day recorded")
    func stale() throws {
        let limit = try #require(EvidenceAgeLimit("12m"))
        #expect(EvidenceDate.isStale("2025-12-06", limit: limit, today: "2026-12-07"))
        #expect(!EvidenceDate.isStale("2025-12-07", limit: limit, today: "2026-12-07"), "exactly twelve months old is not older")
        #expect(EvidenceDate.speaksFor(asOf: "2024-01-01", periodTo: "2025-01-01", recorded: "2026-12-07") == "2024-01-01")
        #expect(EvidenceDate.speaksFor(asOf: nil, periodTo: "2025-01-01", recorded: "2026-12-07") == "2025-01-01")
        #expect(EvidenceDate.speaksFor(asOf: nil, periodTo: nil, recorded: "2026-12-07") == "2026-12-07")
        #expect(EvidenceDate.label(asOf: nil, periodFrom: "2026-01-01", periodTo: "2026-03-31") == "period 2026-01-01 to 2026-03-31")
        #expect(EvidenceDate.label(asOf: "2026-03-31", periodFrom: nil, periodTo: nil) == "as of 2026-03-31")
    }

    @Test("day counts and dates agree both ways across leap years and centuries")
    func days() throws {
        for date in ["1970-01-01", "2000-02-29", "2100-03-01", "1899-12-30", "2026-12-31"] {
            let days = try #require(CalendarDate.days(of: date))
            #expect(CalendarDate.date(days: days) == date)
        }
        #expect(CalendarDate.days(of: "1970-01-02") == 1)
        #expect(CalendarDate.days(of: "2026-02-30") == nil)
    }

    @Test("a request is overdue while it waits on the client past its due date")
    func overdue() {
        #expect(RequestDeadline.isOverdue(status: .requested, due: "2026-12-01", today: "2026-12-07"))
        #expect(RequestDeadline.isOverdue(status: .rejected, due: "2026-12-01", today: "2026-12-07"))
        #expect(RequestDeadline.isOverdue(status: nil, due: "2026-12-01", today: "2026-12-07"))
        #expect(!RequestDeadline.isOverdue(status: .requested, due: "2026-12-07", today: "2026-12-07"), "due today is not late yet")
        for status in [RequestStatus.received, .accepted, .cancelled] {
            #expect(!RequestDeadline.isOverdue(status: status, due: "2026-01-01", today: "2026-12-07"))
        }
        #expect(!RequestDeadline.isOverdue(status: .requested, due: nil, today: "2026-12-07"))
    }

    @Test("the schema takes a stale-after limit and evidence dates, and refuses what is not one")
    func schema() {
        #expect(throws: Never.self) { try EntitySchema.validate(.text("12m"), for: "stale_after", in: .engagement) }
        #expect(throws: ValidationFailure.self) { try EntitySchema.validate(.text("a year"), for: "stale_after", in: .engagement) }
        #expect(throws: ValidationFailure.self) { try EntitySchema.validate(.date("2026-13-01"), for: "as_of", in: .evidence) }
        #expect(throws: ValidationFailure.self) { try EntitySchema.validate(.enumCase("done"), for: "status", in: .request) }
        #expect(throws: Never.self) { try EntitySchema.validate(.link("nist-ai-rmf:GOVERN-1.1"), for: "requirements", in: .request) }
    }
}

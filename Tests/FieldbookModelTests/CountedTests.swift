import FieldbookModel
import Testing

/// The one way messages put a count and its noun together.
@Suite struct CountedTests {
    @Test(arguments: [
        (1, "risk", "1 risk"), (0, "risk", "0 risks"), (2, "evidence file", "2 evidence files"),
        (19, "category", "19 categories"), (1, "entity", "1 entity"), (3, "entity", "3 entities"), (5, "day", "5 days"),
    ])
    func countedNouns(count: Int, noun: String, expected: String) {
        #expect(counted(count, noun) == expected)
    }

    @Test func anIrregularPluralIsGiven() {
        #expect(counted(2, "analysis", "analyses") == "2 analyses")
        #expect(counted(UInt64(1), "change") == "1 change")
    }
}

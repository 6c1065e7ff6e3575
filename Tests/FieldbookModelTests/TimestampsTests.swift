import FieldbookModel
import Foundation
import Testing

/// The one RFC 3339 writer: the same text Foundation's ISO 8601 formatter gave, which every
/// `--json` document and export relied on, without its cost.
@Suite struct TimestampsTests {
    @Test(arguments: [
        (UInt64(0), "1970-01-01T00:00:00.000Z", "1970-01-01T00:00:00Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z", "2000-02-29T00:00:00Z"),
        (1_796_122_684_178, "2026-12-01T10:58:04.178Z", "2026-12-01T10:58:04Z"),
        (4_102_444_799_999, "2099-12-31T23:59:59.999Z", "2099-12-31T23:59:59Z"),
    ])
    func knownTimes(milliseconds: UInt64, fractional: String, whole: String) {
        #expect(Timestamps.rfc3339(milliseconds: milliseconds) == fractional)
        #expect(Timestamps.rfc3339(milliseconds: milliseconds, fractional: false) == whole)
    }

    @Test func agreesWithFoundationOnRandomTimes() {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        withFraction.timeZone = TimeZone(identifier: "UTC")
        let whole = ISO8601DateFormatter()
        whole.timeZone = TimeZone(identifier: "UTC")
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let milliseconds = UInt64.random(in: 0...4_102_444_800_000, using: &generator)
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            #expect(Timestamps.rfc3339(milliseconds: milliseconds) == withFraction.string(from: date), "\(milliseconds)")
            #expect(Timestamps.rfc3339(milliseconds: milliseconds, fractional: false) == whole.string(from: date), "\(milliseconds)")
        }
    }

    @Test func hexIsLowercaseAndUUIDsAreGrouped() {
        #expect(Hex.string([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(Hex.uuid(Array(0..<16)) == "00010203-0405-0607-0809-0a0b0c0d0e0f")
        #expect(Hex.uuid(Array(0..<16)) == UUID(uuid: (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)).uuidString.lowercased())
    }
}

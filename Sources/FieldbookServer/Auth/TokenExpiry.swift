import FieldbookModel
import Foundation

/// `token create --expires DATE`: `YYYY-MM-DD` (the token stops working at midnight UTC as that
/// day begins) or an RFC 3339 time; a time already past is refused.
public enum TokenExpiry {
    /// The expiry in milliseconds since 1970, or a sentence saying why `text` is refused.
    public static func milliseconds(_ text: String, now: UInt64) -> Result<UInt64, Refusal> {
        let formatter = ISO8601DateFormatter()
        var date = formatter.date(from: text)
        if date == nil, CalendarDate.isValid(text) {
            formatter.formatOptions = [.withFullDate]
            date = formatter.date(from: text)
        }
        guard let date else { return .failure(Refusal("--expires takes YYYY-MM-DD or an RFC 3339 time such as 2027-03-31T17:00:00Z, not '\(text.prefix(40))'.")) }
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        guard milliseconds > now else {
            return .failure(Refusal("--expires \(text.prefix(40)) is in the past (it is \(Timestamps.rfc3339(milliseconds: now, fractional: false)) now); give a later date."))
        }
        return .success(milliseconds)
    }

    /// Why an expiry was refused, in one sentence.
    public struct Refusal: Error, Sendable, Equatable {
        public let sentence: String
        init(_ sentence: String) { self.sentence = sentence }
    }
}

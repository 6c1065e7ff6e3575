/// RFC 3339 times in UTC, the one form every document and message writes a time in
/// (`2026-12-01T10:42:29.123Z`). Computed from the Unix milliseconds directly: a Foundation
/// `ISO8601DateFormatter` builds an ICU formatter per instance, which was three quarters of
/// `export`'s time. `TimestampsTests` checks it against that formatter on random times.
public enum Timestamps {
    /// `fractional`: with milliseconds (documents, the log); without (token lists).
    public static func rfc3339(milliseconds: UInt64, fractional: Bool = true) -> String {
        let seconds = Int64(milliseconds / 1000)
        let (days, time) = (seconds / 86_400, seconds % 86_400)
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        var text = "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))T"
            + "\(padded(time / 3600, 2)):\(padded(time / 60 % 60, 2)):\(padded(time % 60, 2))"
        if fractional { text += "." + padded(Int64(milliseconds % 1000), 3) }
        return text + "Z"
    }

    /// Howard Hinnant's `civil_from_days`: the proleptic Gregorian date of a day count.
    static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = daysSinceEpoch + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

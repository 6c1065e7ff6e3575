/// How old evidence may be before it counts as stale, as the engagement sets it
/// (`engagement set --stale-after 12m`): a count and a unit, days, weeks, months or years.
/// Months and years are calendar months (12m before 2027-03-31 is 2026-03-31; before a 31st
/// in a shorter month, that month's last day), so "12m" and "1y" mean the same.
public struct EvidenceAgeLimit: Sendable, Hashable, CustomStringConvertible {
    public enum Unit: Character, Sendable, CaseIterable {
        case days = "d", weeks = "w", months = "m", years = "y"
    }

    public let count: Int
    public let unit: Unit

    /// The largest count taken: a century of days, enough for any retention rule.
    static let maximumCount = 36_500

    /// Reads `12m`, `90d`, `6W`, ` 1y ` (a positive whole count, then the unit); nil otherwise.
    public init?(_ text: String) {
        var trimmed = Substring(text.lowercased())
        while trimmed.first?.isWhitespace == true { trimmed = trimmed.dropFirst() }
        while trimmed.last?.isWhitespace == true { trimmed = trimmed.dropLast() }
        guard let last = trimmed.last, let unit = Unit(rawValue: last),
              let count = Int(trimmed.dropLast()), trimmed.dropLast().allSatisfy(\.isASCII),
              (1...Self.maximumCount).contains(count) else { return nil }
        self.count = count
        self.unit = unit
    }

    /// `12m`: the one form stored and shown.
    public var description: String { "\(count)\(unit.rawValue)" }

    /// The earliest date evidence may speak for and still be current on `today` (YYYY-MM-DD):
    /// evidence speaking for a date before it is stale. Nil when `today` is not a date.
    public func cutoff(today: String) -> String? {
        switch unit {
        case .days, .weeks:
            guard let days = CalendarDate.days(of: today) else { return nil }
            return CalendarDate.date(days: days - Int64(unit == .weeks ? count * 7 : count))
        case .months, .years:
            guard CalendarDate.isValid(today) else { return nil }
            let parts = today.split(separator: "-").compactMap { Int($0) }
            let months = parts[0] * 12 + (parts[1] - 1) - (unit == .years ? count * 12 : count)
            let (year, month) = (months / 12, months % 12 + 1)
            guard year >= 1 else { return "0001-01-01" }
            let day = min(parts[2], CalendarDate.length(ofMonth: month, in: year))
            return "\(Timestamps.padded(Int64(year), 4))-\(Timestamps.padded(Int64(month), 2))-\(Timestamps.padded(Int64(day), 2))"
        }
    }
}

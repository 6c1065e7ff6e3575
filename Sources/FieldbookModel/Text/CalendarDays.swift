/// `YYYY-MM-DD` dates as day counts and back, for dates a number of days apart (an evidence age
/// limit in days or weeks). Pure arithmetic on the proleptic Gregorian calendar, as `Timestamps`.
extension CalendarDate {
    /// Days since 1970-01-01 of a valid date; nil otherwise. Howard Hinnant's `days_from_civil`.
    public static func days(of text: String) -> Int64? {
        guard isValid(text) else { return nil }
        let parts = text.split(separator: "-").compactMap { Int64($0) }
        let (month, day) = (parts[1], parts[2])
        let year = month <= 2 ? parts[0] - 1 : parts[0]
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01.
    public static func date(days: Int64) -> String {
        let (year, month, day) = Timestamps.civilDate(daysSinceEpoch: days)
        return "\(Timestamps.padded(year, 4))-\(Timestamps.padded(month, 2))-\(Timestamps.padded(day, 2))"
    }

    /// The number of days in a month of a year.
    static func length(ofMonth month: Int, in year: Int) -> Int {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }
}

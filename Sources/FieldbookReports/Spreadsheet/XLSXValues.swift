import FieldbookModel

// Column letters, day-number dates and numbers as spreadsheets write them.

/// Columns by letter (`A`, `Z`, `AA`) and by position from 1.
public enum XLSXColumn {
    public static func letters(_ index: Int) -> String {
        var index = index, letters = ""
        while index > 0 {
            let remainder = (index - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + remainder))) + letters
            index = (index - 1) / 26
        }
        return letters
    }

    /// The column of a cell reference (`C12` is 3); nil when it names none.
    static func index(ofReference reference: String) -> Int? {
        var index = 0
        for scalar in reference.unicodeScalars {
            guard ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar) else { break }
            index = index * 26 + Int(scalar.properties.uppercaseMapping.unicodeScalars.first!.value) - 64
            guard index <= 16_384 else { return nil }
        }
        return index == 0 ? nil : index
    }
}

/// Dates as spreadsheets store them: days since 1899-12-30 (the 1900 date system, with Excel's
/// phantom 1900-02-29 folded in by starting the count a day early), the time of day as a fraction.
public enum XLSXDate {
    /// Days from 1899-12-30 to 1970-01-01.
    static let epochOffset: Int64 = 25_569

    /// `YYYY-MM-DD` of a stored day number (`46112` is 2026-03-31); nil when it is not one.
    public static func date(serial text: String) -> String? {
        guard let value = Double(text), value.isFinite, value >= 1, value < 2_958_466 else { return nil }
        return CalendarDate.date(days: Int64(value.rounded(.down)) - epochOffset)
    }

    /// The day number of a `YYYY-MM-DD` date.
    public static func serial(_ date: String) -> Int64? {
        CalendarDate.days(of: date).map { $0 + epochOffset }
    }
}

/// A stored number as a person reads it: `42`, not `42.0`.
enum XLSXNumber {
    static func text(_ stored: String) -> String {
        guard let value = Double(stored), value.isFinite else { return stored }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

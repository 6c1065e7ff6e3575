import FieldbookModel

/// How a stored value reads on a page.
enum Display {
    static func value(_ value: FieldValue) -> String {
        switch value.payload {
        case .text(let text): text
        case .integer(let number): String(number)
        case .flag(let flag): flag ? "yes" : "no"
        }
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value) }
}

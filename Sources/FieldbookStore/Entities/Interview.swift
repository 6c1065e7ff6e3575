import FieldbookModel

/// An interview held during fieldwork (issue 30): with whom, in what role, when, the notes
/// taken and the requirements it speaks to. Evidence of its kind beside files and tests.
public struct Interview: TypedEntity {
    /// The field enumeration this entity is read through.
    public typealias Field = InterviewField
    public let record: EntityRecord
    public init(unchecked record: EntityRecord) { self.record = record }

    public var interviewee: String? { text(.interviewee) }
    public var role: String? { text(.role) }
    /// The day it was held, `YYYY-MM-DD`.
    public var date: String? { text(.date) }
    public var notes: String? { text(.notes) }
    public var requirements: [String] { links(.requirements) }

    /// "Dana Lee, Head of Data": as `--with` takes it.
    public var with: String { [interviewee, role].compactMap { $0 }.joined(separator: ", ") }

    /// Reads `--with "NAME, ROLE"`: the name up to the first comma, the role after it (a role may
    /// hold commas of its own); a name alone has no role.
    public static func person(_ text: String) -> (name: String, role: String?) {
        guard let comma = text.firstIndex(of: ",") else { return (text.trimmingSpaces, nil) }
        let role = text[text.index(after: comma)...].trimmingSpaces
        return (text[..<comma].trimmingSpaces, role.isEmpty ? nil : role)
    }
}

extension StringProtocol {
    /// The text without spaces, tabs or line breaks at either end.
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }
}

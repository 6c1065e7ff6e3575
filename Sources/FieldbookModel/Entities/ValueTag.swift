/// The one table of a value's type tag: the letter that names the type in `FieldValue`'s JSON
/// form (`{"t": ...}`), the byte in the binary batch and the change hash, and the workspace's
/// `vtype` column.
public enum ValueTag: UInt8, Sendable, CaseIterable {
    case text = 0x74, integer = 0x69, enumCase = 0x65, date = 0x64, link = 0x6C, boolean = 0x62

    public init(_ type: FieldValueType) {
        switch type {
        case .text: self = .text
        case .integer: self = .integer
        case .enumCase: self = .enumCase
        case .date: self = .date
        case .link: self = .link
        case .boolean: self = .boolean
        }
    }

    /// The tag as one character (`"t"`).
    public var letter: String { String(UnicodeScalar(rawValue)) }

    /// The tag named by its one character, or nil.
    public init?(letter: String) {
        guard letter.utf8.count == 1, let tag = ValueTag(rawValue: letter.utf8.first!) else { return nil }
        self = tag
    }
}

extension FieldConstraint {
    /// Reads a value as a user types it (`3`, `yes`, `2026-03-31`, `compliant`), by the
    /// field's type. Only the type is read here; `EntitySchema.validate` checks the range.
    public func value(parsing text: String) throws(ValidationFailure) -> FieldValue {
        switch self {
        case .integer:
            guard let n = Int64(text) else { throw ValidationFailure(field: "", message: "'\(text)' is not a whole number") }
            return .integer(n)
        case .boolean:
            switch text.lowercased() {
            case "true", "yes", "1": return .boolean(true)
            case "false", "no", "0": return .boolean(false)
            default: throw ValidationFailure(field: "", message: "'\(text)' is not true or false")
            }
        case .choice: return .enumCase(text)
        case .date: return .date(text)
        case .text, .sha256: return .text(text)
        // Read as typed, then written in its one form (`12M` and ` 12m` are `12m`).
        case .ageLimit: return .text(EvidenceAgeLimit(text)?.description ?? text)
        }
    }
}

extension ValidationFailure {
    /// The failure as one sentence for a person: capitalised, with a full stop, and a field it
    /// starts with named in words ("Residual likelihood must be 1 to 5"), not as its column.
    public var sentence: String {
        var text = message
        if text.hasPrefix(field + " ") { text = String(field.map { $0 == "_" ? " " : $0 }) + text.dropFirst(field.count) }
        return text.prefix(1).uppercased() + text.dropFirst() + "."
    }
}

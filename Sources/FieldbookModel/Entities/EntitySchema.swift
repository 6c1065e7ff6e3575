/// Which fields each entity kind has, what they hold and which values are allowed.
/// Every change is checked against this before it is applied, so an invalid value is
/// refused with the field's name and what it allows.
public enum FieldShape: Sendable, Equatable {
    /// A single-valued field (multi-value register when edited concurrently).
    case register(FieldConstraint)
    /// A set of links (add-wins observed-remove set).
    case linkSet(LinkTarget)
}

/// What a single-valued field accepts; a change holding anything else is refused.
public enum FieldConstraint: Sendable, Equatable {
    case text(maxLength: Int)
    case integer(ClosedRange<Int64>)
    case choice([String])
    case date
    case boolean
    case sha256
    /// An age written as a count and a unit, `90d`, `6w`, `12m`, `1y` (`EvidenceAgeLimit`).
    case ageLimit

    var valueType: FieldValueType {
        switch self {
        case .text, .sha256, .ageLimit: .text
        case .integer: .integer
        case .choice: .enumCase
        case .date: .date
        case .boolean: .boolean
        }
    }
}

/// What a link-set field points at: requirements (qualified ids) or entities of one kind.
public enum LinkTarget: Sendable, Equatable {
    case requirement
    case entity(EntityKind)
}

/// Lookup and validation over the field definitions of `EntityFields.swift`.
public enum EntitySchema {
    /// The tombstone field every deletable kind carries.
    public static let deletedField = "deleted"

    public static let textLimit = 10_000
    public static let titleLimit = 500

    public static func fields(of kind: EntityKind) -> [String: FieldShape] {
        schemas[kind] ?? [:]
    }

    /// The single-valued fields a kind's table holds as columns, in table order (the
    /// tombstone is kept on the entity row instead).
    public static func columns(of kind: EntityKind) -> [String] {
        columnLists[kind] ?? []
    }

    /// Built once from the field definitions (`EntityFields.swift`): validation runs for
    /// every change of every batch.
    private static let schemas: [EntityKind: [String: FieldShape]] = Dictionary(
        uniqueKeysWithValues: EntityKind.allCases.map { kind in
            (kind, Dictionary(uniqueKeysWithValues: kind.fieldDefinitions.map { ($0.name, $0.shape) }))
        })

    private static let columnLists: [EntityKind: [String]] = Dictionary(
        uniqueKeysWithValues: EntityKind.allCases.map { kind in
            (kind, kind.fieldDefinitions.compactMap { definition in
                if case .register = definition.shape, definition.name != deletedField { return definition.name }
                return nil
            })
        })

    private static let labelFields: [EntityKind: Set<String>] = Dictionary(
        uniqueKeysWithValues: EntityKind.allCases.map { ($0, $0.labelFields) })

    /// Whether a field names its entity or a person (`EntityField.isLabel`).
    public static func isLabel(_ field: String, in kind: EntityKind) -> Bool {
        labelFields[kind]?.contains(field) == true
    }

    public static func shape(of field: String, in kind: EntityKind) throws(ValidationFailure) -> FieldShape {
        guard let shape = fields(of: kind)[field] else {
            throw ValidationFailure(field: field,
                                    message: unknownField(field, in: kind))
        }
        return shape
    }

    /// "risk has no field 'colour'; its fields are ...": the list while it is short enough to read
    /// in one refusal (a server's answer quotes it whole), the count otherwise.
    static func unknownField(_ field: String, in kind: EntityKind) -> String {
        let names = kind.fieldDefinitions.map(\.name)
        guard names.count > 10 else { return "\(kind.rawValue) has no field '\(field)'; its fields are \(names.sorted().joined(separator: ", "))" }
        return "\(kind.rawValue) has no field '\(field)' among its \(names.count): a newer release's field, or a typing mistake"
    }

    /// Checks a value for a single-valued field.
    public static func validate(_ value: FieldValue, for field: String, in kind: EntityKind) throws(ValidationFailure) {
        switch try shape(of: field, in: kind) {
        case .register(let constraint): try check(value, against: constraint, field: field)
        case .linkSet(let target): try check(link: value, target: target, field: field)
        }
    }

    private static func check(_ value: FieldValue, against constraint: FieldConstraint, field: String) throws(ValidationFailure) {
        guard value.type == constraint.valueType else {
            throw ValidationFailure(field: field, message: "\(field) takes \(constraint.valueType.withArticle) value, not \(value.type.withArticle)")
        }
        switch (constraint, value) {
        case let (.text(limit), .text(text)):
            guard text.utf8.count <= limit else {
                throw ValidationFailure(field: field, message: "\(field) is longer than \(limit) bytes")
            }
        case let (.integer(range), .integer(n)):
            guard range.contains(n) else {
                let allowed = range.upperBound == Int64.max ? "\(range.lowerBound) or more" : "\(range.lowerBound) to \(range.upperBound)"
                throw ValidationFailure(field: field, message: "\(field) must be \(allowed), not \(n)")
            }
        case let (.choice(options), .enumCase(option)):
            guard options.contains(option) else {
                throw ValidationFailure(field: field, message: "\(field) must be one of \(options.joined(separator: ", ")), not '\(option)'")
            }
        case let (.date, .date(text)):
            guard CalendarDate.isValid(text) else {
                throw ValidationFailure(field: field, message: "\(field) must be a date written YYYY-MM-DD, not '\(text)'")
            }
        case let (.sha256, .text(text)):
            guard isSHA256(text) else {
                throw ValidationFailure(field: field, message: "\(field) must be 64 lowercase hex digits")
            }
        case let (.ageLimit, .text(text)):
            guard EvidenceAgeLimit(text) != nil else {
                throw ValidationFailure(field: field, message: "\(field) must be a count and a unit (d, w, m or y), like 12m or 90d, not '\(text.prefix(40))'")
            }
        default:
            break
        }
    }

    /// Whether text is a SHA-256 as fields hold it: 64 lowercase hex digits.
    public static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    private static func check(link value: FieldValue, target: LinkTarget, field: String) throws(ValidationFailure) {
        guard case .link(let id) = value else {
            throw ValidationFailure(field: field, message: "\(field) holds links, not \(value.type.withArticle)")
        }
        switch target {
        case .requirement:
            guard RequirementID(qualified: id) != nil else {
                throw ValidationFailure(field: field, message: "\(field) links to requirements, and '\(id.prefix(60))' is not a fully qualified requirement id")
            }
        case .entity:
            guard EntityID(id) != nil else {
                throw ValidationFailure(field: field, message: "\(field) links to entities, and '\(id.prefix(60))' is not an entity id")
            }
        }
    }
}

/// A value that breaks the schema: the field and one sentence saying what it allows.
public struct ValidationFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let message: String
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
    public var description: String { message }
}

/// `YYYY-MM-DD` calendar dates, checked without Foundation so the model stays pure.
public enum CalendarDate {
    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }
}

import FieldbookModel
import FieldbookReplica

/// The edits one operation makes to one entity, each value checked against the schema
/// first, so bad input is refused with the field's own sentence and nothing is written.
///
/// The unchanged-value rule lives here: a value the entity already shows (outside a
/// conflict) is not written again, so the history holds real changes only.
public struct EntityEdits<Field: EntityField>: Sendable {
    public let entity: EntityID
    /// The entity as it stands, when it exists.
    public let current: EntityRecord?
    public private(set) var edits: [LocalEdit] = []

    public init(_ entity: EntityID, current: EntityRecord? = nil) {
        self.entity = entity
        self.current = current
    }

    /// Whether nothing would be written (all values unchanged, or none given).
    public var isEmpty: Bool { edits.isEmpty }

    /// Sets a single-valued field; nil leaves it as it is.
    public mutating func set(_ field: Field, _ value: FieldValue?) throws(StoreError) {
        guard let value else { return }
        do {
            try EntitySchema.validate(value, for: field.name, in: Field.kind)
        } catch {
            throw .invalid(error.sentence)
        }
        if let current, current.fields[field.name] == value, !current.conflictedFields.contains(field.name) { return }
        edits.append(.set(entity, Field.kind, field: field.name, value))
    }

    /// Sets a text, date or choice field from what was typed, read by the field's type.
    public mutating func set(_ field: Field, _ text: String?) throws(StoreError) {
        guard let text, case .register(let constraint) = field.shape else { return }
        let value: FieldValue
        do { value = try constraint.value(parsing: text) } catch { throw .invalid(error.sentence) }
        try set(field, value)
    }

    public mutating func set(_ field: Field, _ number: Int?) throws(StoreError) {
        try set(field, number.map { FieldValue.integer(Int64($0)) })
    }

    public mutating func set(_ field: Field, _ flag: Bool?) throws(StoreError) {
        try set(field, flag.map(FieldValue.boolean))
    }

    /// A choice is unchanged when the stored word reads as it, a former word included (a risk
    /// holding `mitigate` already shows `modify`).
    public mutating func set<Vocabulary: RawRepresentable<String> & Equatable>(_ field: Field, _ choice: Vocabulary?) throws(StoreError) {
        if let choice, let current, !current.conflictedFields.contains(field.name),
           current.text(field.name).flatMap(Vocabulary.init(rawValue:)) == choice { return }
        try set(field, choice.map { FieldValue.enumCase($0.rawValue) })
    }

    /// Adds links (requirement ids or entity ids) to a link-set field.
    public mutating func link(_ field: Field, _ targets: [String]) {
        edits += targets.map { .link(entity, Field.kind, field: field.name, target: $0) }
    }

    public mutating func unlink(_ field: Field, _ targets: [String]) {
        edits += targets.map { .unlink(entity, Field.kind, field: field.name, target: $0) }
    }

    /// Links only the targets the entity does not hold yet.
    public mutating func linkMissing(_ field: Field, _ targets: [String]) {
        let present = Set(current?.links[field.name] ?? [])
        link(field, targets.filter { !present.contains($0) })
    }

    /// Unlinks only the targets the entity holds.
    public mutating func unlinkPresent(_ field: Field, _ targets: [String]) {
        let present = Set(current?.links[field.name] ?? [])
        unlink(field, targets.filter { present.contains($0) })
    }
}

extension WorkspaceDomain {
    /// Writes the edits, if any; returns whether anything was written.
    @discardableResult
    public func write<Field>(_ edits: EntityEdits<Field>) throws -> Bool {
        guard !edits.isEmpty else { return false }
        _ = try workspace.write(edits.edits)
        return true
    }
}

extension EntityEdits where Field == RiskField {
    /// Records who accepted a risk's residual risk (ISO/IEC 42001 6.1.3 f), the same from every
    /// front end: on `on` when given, otherwise `today` when the acceptance is new (no date yet,
    /// or another person accepting); re-stating the recorded acceptance writes nothing.
    public mutating func accept(by person: String?, on date: String?, note: String?, today: String) throws(StoreError) {
        let recorded = current.map(Risk.init(unchecked:))
        let isNew = person != nil && (recorded?.acceptedOn == nil || recorded?.acceptedBy != person)
        try set(.acceptedBy, person)
        try set(.acceptedOn, date ?? (isNew ? today : nil))
        try set(.acceptanceNote, note)
    }
}

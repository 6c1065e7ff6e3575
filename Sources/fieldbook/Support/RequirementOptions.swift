import FieldbookCatalogs
import FieldbookModel
import FieldbookReplica
import FieldbookStore

/// Collects the edits one command makes to one entity, checking each value against the
/// schema first so bad input is refused with the field's own message and nothing written.
struct EditBuilder {
    let entity: EntityID
    let kind: EntityKind
    /// The entity as it stands: a value it already shows (outside a conflict) is not
    /// written again, so the history holds real changes only.
    let current: EntityRecord?
    private(set) var edits: [LocalEdit] = []

    init(_ entity: EntityID, _ kind: EntityKind, current: EntityRecord? = nil) {
        self.entity = entity
        self.kind = kind
        self.current = current
    }

    mutating func set(_ field: String, _ value: FieldValue?) throws {
        guard let value else { return }
        do {
            try EntitySchema.validate(value, for: field, in: kind)
        } catch {
            throw CLIError.badInput(error.message.prefix(1).uppercased() + error.message.dropFirst() + ".")
        }
        if let current, current.fields[field] == value, !current.conflictedFields.contains(field) { return }
        edits.append(.set(entity, kind, field: field, value))
    }

    mutating func text(_ field: String, _ value: String?) throws { try set(field, value.map(FieldValue.text)) }
    mutating func integer(_ field: String, _ value: Int?) throws { try set(field, value.map { .integer(Int64($0)) }) }
    mutating func choice(_ field: String, _ value: String?) throws { try set(field, value.map(FieldValue.enumCase)) }
    mutating func date(_ field: String, _ value: String?) throws { try set(field, value.map(FieldValue.date)) }

    mutating func link(_ requirements: [Requirement]) {
        edits += requirements.map { .link(entity, kind, field: "requirements", target: $0.id.qualified) }
    }

    /// Links to other entities (AI systems, evidence) in a link field.
    mutating func linkEntities(_ field: String, _ ids: [String]) {
        edits += ids.map { .link(entity, kind, field: field, target: $0) }
    }

    mutating func unlinkEntities(_ field: String, _ ids: [String]) {
        edits += ids.map { .unlink(entity, kind, field: field, target: $0) }
    }

    mutating func unlink(_ requirements: [Requirement]) {
        edits += requirements.map { .unlink(entity, kind, field: "requirements", target: $0.id.qualified) }
    }
}

/// Requirement options resolved against the catalogs before anything is written.
enum RequirementOptions {
    static func resolve(_ inputs: [String]) throws -> [Requirement] {
        let library = try Catalogs.library()
        var seen = Set<RequirementID>()
        return try inputs.map { try Catalogs.resolve($0, in: library) }.filter { seen.insert($0.id).inserted }
    }
}

/// Opens the workspace and finds an existing, not deleted entity for an update.
enum EntityTarget {
    static func live(_ input: String, kind: EntityKind, in workspace: Workspace) throws -> EntityRecord {
        let id = try WorkspaceContext.mapped { try workspace.resolveEntity(input, kind: kind) }
        guard let record = try WorkspaceContext.mapped({ try workspace.record(id) }) else {
            throw CLIError.notFound("No \(kind.rawValue) '\(input)' in this workspace.")
        }
        if record.deleted {
            throw CLIError.conflict("\(kind.rawValue.capitalized) \(id) is deleted; restore it first with 'fieldbook resolve \(id) deleted --value false'.")
        }
        return record
    }
}

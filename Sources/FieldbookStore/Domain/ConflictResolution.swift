import FieldbookModel
import FieldbookReplica

/// How an assessor settles a field: a value typed, or the value one assessor wrote.
public enum ResolutionChoice: Sendable, Equatable {
    case value(String)
    case keep(assessor: String)
}

/// What `WorkspaceDomain.resolve` wrote.
public struct Resolution: Sendable {
    /// The entity settled: for a control's applicability or justification named on its
    /// result, the control's applicability entity.
    public let entity: EntityID
    public let field: String
    public let value: FieldValue
    /// Whether a conflict was open on the field (a resolve may also just set a value).
    public let settledConflict: Bool
    public let record: EntityRecord?
}

extension WorkspaceDomain {
    /// Settles a field with one value, which supersedes every competing live value.
    ///
    /// The rules: a set of links never conflicts (it merges); keeping an assessor's value
    /// needs an open conflict with a value by them; on `deleted`, keeping the editor's side
    /// restores the entity and keeping the deleter's side deletes it again.
    /// `name` is what the user typed for the entity, for the sentence when it is absent.
    public func resolve(_ entity: EntityID, field: String, choice: ResolutionChoice, name: String? = nil) throws -> Resolution {
        var id = entity
        // A control's applicability lives on its own entity, not on its result.
        if field == ApplicabilityField.applicability.name || field == ApplicabilityField.justification.name,
           let control = id.resultRequirement {
            id = EntityID.applicability(for: control)
        }
        guard let record = try workspace.record(id) else { throw StoreError.notFound("No entity '\(name ?? entity.rawValue)' in this workspace.") }
        let shape: FieldShape
        do { shape = try EntitySchema.shape(of: field, in: record.kind) } catch { throw StoreError.invalid(error.message + ".") }
        guard case .register(let constraint) = shape else {
            throw StoreError.invalid("\(field) is a set of links, which never conflicts; use link or unlink.")
        }
        let conflict = try workspace.conflicts().first { $0.entity == id && $0.field == field }
        let chosen: FieldValue
        switch choice {
        case .keep(let assessor):
            guard let conflict else { throw StoreError.notFound("\(id) has no conflict in \(field); 'fieldbook conflicts' lists them.") }
            guard let pick = conflict.values.first(where: { $0.author == assessor }) else {
                throw StoreError.notFound("No value of \(field) by \(assessor) is in conflict; the competing authors are \(Set(conflict.values.map(\.author)).sorted().joined(separator: ", ")).")
            }
            // Keeping an editor's side of a deletion conflict means restoring the entity.
            chosen = field == EntitySchema.deletedField ? .boolean(pick.isTombstone) : pick.value
        case .value(let text):
            do { chosen = try constraint.value(parsing: text) } catch { throw StoreError.invalid(error.sentence) }
        }
        if field == EntitySchema.deletedField {
            _ = try workspace.write([chosen == .boolean(true) ? .delete(id, record.kind) : .restore(id, record.kind)])
        } else {
            try EntitySchema.validateSentence(chosen, for: field, in: record.kind)
            _ = try workspace.write([.set(id, record.kind, field: field, chosen)])
        }
        return Resolution(entity: id, field: field, value: chosen, settledConflict: conflict != nil, record: try workspace.record(id))
    }
}

extension EntitySchema {
    /// Validation with the failure as a store refusal (one sentence, bad input).
    static func validateSentence(_ value: FieldValue, for field: String, in kind: EntityKind) throws(StoreError) {
        do { try validate(value, for: field, in: kind) } catch { throw .invalid(error.sentence) }
    }
}

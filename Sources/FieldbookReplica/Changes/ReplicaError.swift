import FieldbookModel

/// Why a batch of changes was refused. A refused batch changes nothing.
public enum ReplicaError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case unsupportedFormat(Int, supported: Int)
    case invalidValue(Dot, EntityID, ValidationFailure)
    case wrongOperation(Dot, field: String, Operation)
    case kindMismatch(EntityID, existing: EntityKind, incoming: EntityKind)
    case dotReused(Dot)
    case clockSkew(ClockSkewError)
    case emptyAuthor(Dot)

    public var description: String {
        switch self {
        case .malformed(let why):
            "The changes could not be read: \(why)."
        case let .unsupportedFormat(format, supported):
            "The changes use format \(format), newer than this Fieldbook reads (\(supported)); update Fieldbook."
        case let .invalidValue(dot, entity, failure):
            "Change \(dot) to \(entity) is invalid: \(failure.message)."
        case let .wrongOperation(dot, field, operation):
            "Change \(dot) applies '\(operation.rawValue)' to \(field), which does not take it."
        case let .kindMismatch(entity, existing, incoming):
            "Entity \(entity) is a \(existing.rawValue), but a change treats it as a \(incoming.rawValue)."
        case .dotReused(let dot):
            "Two different changes carry the same name \(dot); the sending replica is damaged."
        case .clockSkew(let error):
            error.description
        case .emptyAuthor(let dot):
            "Change \(dot) names no author."
        }
    }
}

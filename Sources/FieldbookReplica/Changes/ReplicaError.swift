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
    /// A change without a signature, or whose key does not name its site.
    case unsigned(Dot, author: String)
    /// A signature that does not match the change: forged, or altered after signing.
    case forged(Dot, author: String)
    /// A chained change not covered by any signature: the changes after it in its site's
    /// history are missing (dropped or reordered in transit).
    case unverifiable(Dot, author: String)
    /// A chained change whose link does not continue the history held (or sent) before it.
    case brokenHistory(Dot, author: String)
    /// A site whose changes claim another author than the one it signed as before.
    case authorMismatch(Dot, claimed: String, signer: String)
    /// A revocation not signed by the engagement's key (`ReceiverContext.revoker`), or received
    /// where no such key is pinned to check it against (`trusted` nil).
    case untrustedRevocation(Dot, signer: String, trusted: String?)
    /// A change of a revoked site beyond the last change its revocation kept valid.
    case siteRevoked(Dot, lastValid: UInt64)

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
        case let .unsigned(dot, author):
            "Change \(dot) by '\(author.prefix(80))' carries no valid signing key or signature; it cannot be trusted and was refused."
        case let .forged(dot, author):
            "Change \(dot) by '\(author.prefix(80))' does not match its signature: it, or a change before it in that author's history, was forged or altered after signing; nothing was accepted."
        case let .unverifiable(dot, author):
            "Change \(dot) by '\(author.prefix(80))' is not covered by any signature: the changes after it in \(author.prefix(80))'s signed history are missing (dropped or reordered in transit); nothing was accepted."
        case let .brokenHistory(dot, author):
            "Change \(dot) by '\(author.prefix(80))' does not continue the history before it: it or the change before it was altered, reordered or replaced; nothing was accepted."
        case let .authorMismatch(dot, claimed, signer):
            "Change \(dot) claims to be by '\(claimed.prefix(80))', but its key signs for '\(signer.prefix(80))'; nothing was accepted."
        case let .untrustedRevocation(dot, signer, trusted?):
            "Change \(dot) is a revocation signed by site \(signer), not by this engagement's key on its server (site \(trusted), pinned at the first sync); a forged or replayed revocation is refused, and nothing was accepted."
        case let .untrustedRevocation(dot, _, nil):
            "Change \(dot) is a revocation, but this workspace has never synced with the engagement's server, so it holds no key to check a revocation against; sync once (it pins the server's key), then try again; nothing was accepted."
        case let .siteRevoked(dot, lastValid):
            "Change \(dot) comes from site \(dot.site.text), whose key the engagement's server revoked after change \(dot.site.text)/\(lastValid) (revocation:\(dot.site.text)); changes it signed later are refused, and nothing was accepted."
        }
    }
}

import FieldbookModel
import FieldbookReplica
import Foundation

/// The checks every pushed batch passes before any of it is stored, the same for every
/// backend: schema, entity kinds, clock skew, and no dot reused for other content.
enum PushValidation {
    static func validate(_ changes: [Change], now: UInt64, maximumSkewMilliseconds: UInt64,
                         knownKind: (EntityID) throws -> EntityKind?, storedPayload: (Dot) throws -> Data?) throws {
        let clock = HybridLogicalClock(maximumSkewMilliseconds: maximumSkewMilliseconds)
        var kinds: [EntityID: EntityKind?] = [:]
        var lookupError: (any Error)?
        do {
            try ChangeValidation.validate(changes, knownKind: { id in
                if let known = kinds[id] { return known }
                do {
                    let kind = try knownKind(id)
                    kinds[id] = kind
                    return kind
                } catch {
                    lookupError = error
                    return nil
                }
            }, knownChange: { _ in nil })
        } catch {
            throw ServerError.invalidChanges(error.description)
        }
        if let lookupError { throw lookupError }
        for change in changes {
            do {
                try clock.check(change.hlc, from: change.dot.site, now: now)
            } catch {
                throw ServerError.invalidChanges(error.description)
            }
            if let stored = try storedPayload(change.dot), stored != payload(change) {
                throw ServerError.invalidChanges(ReplicaError.dotReused(change.dot).description)
            }
        }
    }

    /// One change in the binary batch encoding: what the log stores and pull returns.
    static func payload(_ change: Change) -> Data {
        ChangeBatch([change]).encoded()
    }

    static func change(from payload: Data) throws -> Change {
        guard let change = try ChangeBatch.decode(payload).changes.first else {
            throw ServerError.badRequest("The server's change log holds an empty entry.")
        }
        return change
    }
}

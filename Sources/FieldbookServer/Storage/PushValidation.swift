import FieldbookModel
import FieldbookReplica
import Foundation

/// The checks every pushed batch passes before any of it is stored, the same for every
/// backend: signatures and who may write as whom, schema, entity kinds, clock skew, and no
/// dot reused for other content. Returns the sites this batch binds to the pusher.
enum PushValidation {
    static func validate(_ changes: [Change], pusher: String, now: UInt64, maximumSkewMilliseconds: UInt64,
                         boundAssessor: (SiteID) throws -> String?,
                         knownKind: (EntityID) throws -> EntityKind?, storedPayload: (Dot) throws -> Data?) throws -> [SiteID: String] {
        // Cheap checks first: a malformed change is reported as such, not as a bad signature.
        for change in changes {
            do { try ChangeValidation.validate(change) } catch { throw ServerError.invalidChanges(error.description) }
        }
        let bindings = try checkAuthors(changes, pusher: pusher, boundAssessor: boundAssessor)
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
        return bindings
    }

    /// Signatures first (422 when forged), then authorship (403): a site already bound writes
    /// only as its assessor; an unbound site is bound to the pusher, and only when its changes
    /// are the pusher's own. So a colleague relaying Ana's work cannot introduce a key for Ana.
    static func checkAuthors(_ changes: [Change], pusher: String, boundAssessor: (SiteID) throws -> String?) throws -> [SiteID: String] {
        var bound: [SiteID: String] = [:]
        var fresh: [SiteID: String] = [:]
        do {
            try ChangeSignature.verifyAll(changes)
        } catch {
            throw ServerError.invalidChanges(error.description)
        }
        for change in changes {
            let site = change.dot.site
            if bound[site] == nil, let known = try boundAssessor(site) { bound[site] = known }
            if let owner = bound[site] {
                guard owner == change.author else {
                    throw ServerError.forbidden("Change \(change.dot) claims to be by '\(change.author.prefix(80))', but its key belongs to '\(owner.prefix(80))' on this server; nothing was accepted.")
                }
                continue
            }
            guard change.author == pusher else {
                throw ServerError.forbidden("Change \(change.dot) by '\(change.author.prefix(80))' comes from a key this server has not bound to them; they must sync once with their own token (or an administrator binds their key with 'fieldbook-server token create --public-key'); nothing was accepted.")
            }
            bound[site] = pusher
            fresh[site] = pusher
        }
        return fresh
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

import FieldbookModel
import FieldbookReplica
@testable import FieldbookStore
import Foundation
import Testing

/// Revocations as a workspace receives them (issue 31): only from the engagement's key it
/// pinned; the revoked site's later changes refused, or withdrawn when held already, with the
/// state rebuilt as if they had never come; the history still verifies; its own key revoked,
/// it writes nothing until it re-keys.
struct RevocationTests {
    static let risk = EntityID("0193a000-0000-7000-8000-0000000000aa")!
    static let now: UInt64 = 1_700_000_100_000

    /// A revocation of `site` after `lastValid`, signed by `key` as the server writes one.
    static func revocation(of site: SiteID, after lastValid: UInt64, hash: Data?, by key: ChangeSigner, at now: UInt64 = now) -> [Change] {
        var fields: [(String, FieldValue)] = [("last_valid", .integer(Int64(lastValid)))]
        if let hash { fields.append(("last_valid_hash", .text(Hex.string(hash)))) }
        var previous = ChangeHash.genesis
        var clock = HybridLogicalClock()
        return fields.enumerated().map { index, field in
            let made = Change(dot: Dot(site: key.site, counter: UInt64(index + 1)), hlc: clock.tick(now: now), author: "fieldbook-server",
                              entity: EntityID.revocation(of: site.text)!, kind: .revocation, field: field.0, value: field.1)
            let (change, link) = key.chain(made, after: previous, head: index == fields.count - 1)
            previous = link
            return change
        }
    }

    static func exported(_ workspace: Workspace) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(workspace.export()), as: UTF8.self)
    }

    /// Ben's history: a risk, then (later, the part to be cut off) a new title; as one batch,
    /// signed only at the end, as a bundle carries it.
    static func bensWork(_ ben: Workspace) throws -> (all: [Change], lastValid: Change) {
        let before = try ben.write([.set(risk, .risk, field: "title", .text("Bias")), .set(risk, .risk, field: "likelihood", .integer(3))], now: now)
        try ben.write([.set(risk, .risk, field: "title", .text("Written by the thief"))], now: now + 10)
        let all = try ben.exchange.changes(missingFrom: VersionVector()).filter { $0.dot.site == ben.identity.site }
        return (all, before.last!)
    }

    @Test("a pinned key's revocation withdraws the held later changes, rebuilds the state, and the history verifies")
    func withdrawsHeldChanges() throws {
        let ana = try TemporaryWorkspace(assessor: "Ana"), ben = try TemporaryWorkspace(assessor: "Ben")
        let key = ChangeSigner()
        #expect(try ana.workspace.pinEngagementKey(key.publicKey, server: "https://fieldbook.example") == .pinned)
        let (work, lastValid) = try Self.bensWork(ben.workspace)
        try ana.workspace.apply(remote: work, now: Self.now + 20)
        #expect(try Self.exported(ana.workspace).contains("Written by the thief"))

        let report = try ana.workspace.apply(remote: Self.revocation(of: ben.workspace.identity.site, after: lastValid.dot.counter,
                                                                  hash: ChangeHash.of(lastValid), by: key), now: Self.now + 30)
        #expect(report.withdrawn == 1)
        #expect(try Self.exported(ana.workspace).contains("\"Bias\"") && !Self.exported(ana.workspace).contains("Written by the thief"))
        #expect(try ana.workspace.verifyHistory().failures.isEmpty)
        let revocations = try ana.workspace.revocations()
        #expect(revocations.map(\.site) == [ben.workspace.identity.site.text] && revocations.first?.withdrawn == 1 && revocations.first?.assessor == "Ben")

        // Sent again (a stale bundle), the later change is refused with the site named.
        #expect {
            try ana.workspace.apply(remote: work, now: Self.now + 40)
        } throws: { error in
            guard case .refused(.siteRevoked(let dot, let kept))? = error as? StoreError else { return false }
            return dot.site == ben.workspace.identity.site && kept == lastValid.dot.counter
        }
    }

    @Test("a revocation from another key, or with no key pinned, is refused and changes nothing")
    func forgedOrUnpinned() throws {
        let ana = try TemporaryWorkspace(assessor: "Ana"), ben = try TemporaryWorkspace(assessor: "Ben")
        let (work, lastValid) = try Self.bensWork(ben.workspace)
        try ana.workspace.apply(remote: work, now: Self.now + 20)
        let exported = try Self.exported(ana.workspace)
        let forger = ChangeSigner()
        let forged = Self.revocation(of: ben.workspace.identity.site, after: lastValid.dot.counter, hash: nil, by: forger)

        // Nothing pinned: no key to check against.
        #expect {
            try ana.workspace.apply(remote: forged, now: Self.now + 30)
        } throws: { error in
            guard case .refused(.untrustedRevocation(_, _, nil))? = error as? StoreError else { return false }
            return "\(error)".contains("never synced")
        }
        // Another key pinned: forged, or replayed from another engagement.
        #expect(try ana.workspace.pinEngagementKey(ChangeSigner().publicKey, server: "https://fieldbook.example") == .pinned)
        #expect {
            try ana.workspace.apply(remote: forged, now: Self.now + 30)
        } throws: { error in
            guard case .refused(.untrustedRevocation(_, let signer, let trusted?))? = error as? StoreError else { return false }
            return signer == forger.site.text && trusted != forger.site.text
        }
        #expect(try Self.exported(ana.workspace) == exported)
        #expect(try ana.workspace.revocations().isEmpty)
        // A second key is never taken in place of the first.
        guard case .differs = try ana.workspace.pinEngagementKey(forger.publicKey, server: "https://elsewhere.example") else {
            Issue.record("a second engagement key replaced the pinned one")
            return
        }
    }

    @Test("a workspace whose own key is revoked keeps its work, writes nothing, and re-keys to go on")
    func ownKeyRevoked() throws {
        let ben = try TemporaryWorkspace(assessor: "Ben")
        let key = ChangeSigner()
        #expect(try ben.workspace.pinEngagementKey(key.publicKey, server: "https://fieldbook.example") == .pinned)
        let (_, lastValid) = try Self.bensWork(ben.workspace)
        let report = try ben.workspace.apply(remote: Self.revocation(of: ben.workspace.identity.site, after: lastValid.dot.counter,
                                                                  hash: ChangeHash.of(lastValid), by: key), now: Self.now + 30)
        #expect(report.withdrawn == 0)
        #expect(try Self.exported(ben.workspace).contains("Written by the thief"))
        #expect {
            try ben.workspace.write([.set(Self.risk, .risk, field: "impact", .integer(2))], now: Self.now + 40)
        } throws: { error in
            guard case .stateConflict(let sentence)? = error as? StoreError else { return false }
            return sentence.contains("fieldbook rekey")
        }
        // Everything had left (a bundle took it): only the change beyond the revocation is
        // written again under the new key, since it is refused wherever it went.
        try ben.workspace.exchange.recordExport(try ben.workspace.versionVector())
        let summary = try ben.workspace.rekey(now: Self.now + 50)
        #expect(summary.reauthored == 1 && summary.handedOut == 3)
        let reopened = try Workspace.open(WorkspaceLocation(root: ben.folder))
        try reopened.write([.set(Self.risk, .risk, field: "impact", .integer(2))], now: Self.now + 60)
        #expect(try Self.exported(reopened).contains("Written by the thief"))
        #expect(try reopened.verifyHistory().failures.isEmpty)
    }
}

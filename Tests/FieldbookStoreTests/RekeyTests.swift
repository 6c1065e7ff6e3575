import FieldbookModel
import FieldbookReplica
@testable import FieldbookStore
import FieldbookTestSupport
import Foundation
import Testing

/// `Workspace.rekey`: the workspace goes on under a new site and key; what never left is
/// written again under it and the engagement's state is exactly what it was, whatever the
/// mix of edits, colleagues' work and what had been synced.
struct RekeyTests {
    static let risks = (1...3).map { EntityID("0193a000-0000-7000-8000-00000000000\($0)")! }
    static let result = EntityID.result(for: RequirementID(qualified: "iso42001:A.6.2.4")!)

    static func randomEdit(_ random: inout SeededRandom) -> LocalEdit {
        let risk = risks.randomElement(using: &random)!
        switch Int.random(in: 0..<8, using: &random) {
        case 0: return .set(risk, .risk, field: "title", .text(["Bias", "Drift", "Leak"].randomElement(using: &random)!))
        case 1: return .set(risk, .risk, field: "likelihood", .integer(Int64.random(in: 1...5, using: &random)))
        case 2: return .link(risk, .risk, field: "requirements", target: "iso42001:A.6.2.4")
        case 3: return .unlink(risk, .risk, field: "requirements", target: "iso42001:A.6.2.4")
        case 4: return .delete(risk, .risk)
        case 5: return .restore(risk, .risk)
        default: return .set(result, .result, field: "status", .enumCase(AssessmentStatus.allCases.randomElement(using: &random)!.rawValue))
        }
    }

    /// The state a person sees, without when and as which change it was written (a re-key
    /// writes its changes anew).
    static func state(_ workspace: Workspace) throws -> String {
        func strip(_ value: Any) -> Any {
            if let object = value as? [String: Any] {
                return object.filter { !["created", "updated", "at", "change"].contains($0.key) }.mapValues(strip)
            }
            if let array = value as? [Any] { return array.map(strip) }
            return value
        }
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(workspace.export()))
        return String(decoding: try JSONSerialization.data(withJSONObject: strip(json), options: [.sortedKeys]), as: UTF8.self)
    }

    @Test("the state is unchanged, what left stays signed by the old site, the rest is the new site's, and the history verifies",
          arguments: 1...12)
    func rekeyKeepsEverything(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let ana = try TemporaryWorkspace(assessor: "Ana"), ben = try TemporaryWorkspace(assessor: "Ben")
        var now: UInt64 = 1_700_000_001_000
        var synced: VersionVector?
        for step in 0..<60 {
            now += 7
            switch Int.random(in: 0..<10, using: &random) {
            case 0...1: try ben.workspace.write([Self.randomEdit(&random)], now: now)
            case 2:
                let missing = try ben.workspace.exchange.changes(missingFrom: ana.workspace.versionVector())
                try ana.workspace.apply(remote: missing, now: now)
            default:
                let edits = (0..<Int.random(in: 1...2, using: &random)).map { _ in Self.randomEdit(&random) }
                try ana.workspace.write(edits, now: now)
            }
            // Once, part way: a server takes everything Ana holds so far.
            if step == 25 + Int(seed % 10) { synced = try ana.workspace.versionVector() }
        }
        if let synced { try ana.workspace.exchange.recordPeer(site: "server:https://example", assessor: "server", vector: synced) }
        let before = try Self.state(ana.workspace)
        let formerSite = ana.workspace.identity.site
        let ownBefore = try ana.workspace.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM change WHERE site = ?", arguments: [formerSite.text]) ?? 0 }

        let summary = try ana.workspace.rekey(now: now + 1_000)
        let reopened = try Workspace.open(ana.workspace.location)
        #expect(reopened.identity.site.text == summary.site && summary.site != formerSite.text)
        #expect(summary.reauthored + summary.handedOut == ownBefore)
        #expect(summary.handedOut == Int(synced?.entries[formerSite]?.contiguous ?? 0))
        #expect(try Self.state(reopened) == before, "seed \(seed)")
        let newSite = try reopened.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM change WHERE site = ?", arguments: [summary.site]) ?? 0 }
        #expect(newSite == summary.reauthored)
        #expect(try reopened.formerSites() == [formerSite.text])
        let verification = try reopened.verifyHistory()
        #expect(verification.failures.isEmpty, "\(verification.failures.map(\.reason))")
        // The old key is gone from the workspace: it signs nothing any more.
        let key = try reopened.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'signing_key'") }
        #expect(key == reopened.signer.rawRepresentation.base64EncodedString())
        // A colleague holding what had left receives the rest and agrees.
        let missing = try reopened.exchange.changes(missingFrom: ben.workspace.versionVector())
        try ben.workspace.apply(remote: missing, now: now + 2_000)
        try reopened.apply(remote: try ben.workspace.exchange.changes(missingFrom: reopened.versionVector()), now: now + 2_000)
        #expect(try Self.state(ben.workspace) == Self.state(reopened), "seed \(seed)")
    }
}

import FieldbookModel
import FieldbookReplica
import Foundation

/// Changes merged per second in memory: 100k changes from 10 sites, applied to an empty
/// replica in shuffled order; and the encoded size of a change in a batch.
enum ReplicaBenchmark {
    /// A receiver that holds nothing yet.
    struct EmptyReceiver: ReceiverContext {
        func held(_ site: SiteID, in range: ClosedRange<UInt64>) -> [UInt64: HeldLink] { [:] }
        func publicKey(of site: SiteID) -> Data? { nil }
        func author(of site: SiteID) -> String? { nil }
        func kind(of entity: EntityID) -> EntityKind? { nil }
    }

    static func workload(sites: Int = 10, perSite: Int = 10_000) throws -> [Change] {
        var generator = SystemRandomNumberGenerator()
        let risks = (0..<1_000).map { EntityID(String(format: "0193a000-0000-7000-8000-%012d", $0))! }
        let requirements = ["nist-ai-rmf:GOVERN-1.1", "nist-ai-rmf:MAP-1.1", "iso42001:A.6.2.4", "iso42001:6.1.2"]
        let results = requirements.map { EntityID.result(for: RequirementID(qualified: $0)!) }
        var changes: [Change] = []
        for index in 0..<sites {
            var replica = Replica(author: "assessor-\(index)")
            var now: UInt64 = 1_700_000_000_000
            for step in 0..<perSite {
                now += UInt64.random(in: 0...2, using: &generator)
                let risk = risks[Int.random(in: 0..<risks.count, using: &generator)]
                let edit: LocalEdit
                switch step % 5 {
                case 0: edit = .set(risk, .risk, field: "title", .text("Risk \(step)"))
                case 1: edit = .set(risk, .risk, field: "likelihood", .integer(Int64(step % 5 + 1)))
                case 2: edit = .link(risk, .risk, field: "requirements", target: requirements[step % requirements.count])
                case 3: edit = .set(results[step % results.count], .result, field: "status", .enumCase("compliant"))
                default: edit = .set(risk, .risk, field: "impact", .integer(Int64(step % 5 + 1)))
                }
                changes.append(try replica.write(edit, now: now))
            }
        }
        return changes
    }

    static func run() throws {
        let changes = try workload().shuffled()
        var state = ReplicaState()
        let seconds = measure { state.apply(changes) }
        var batched = ReplicaState()
        let batchedSeconds = measure {
            for start in stride(from: 0, to: changes.count, by: 1_000) {
                batched.apply(Array(changes[start..<min(start + 1_000, changes.count)]))
            }
        }
        // What every receiving boundary adds: the receive path's checks (schema, hashes, one
        // signature per run of a site's changes) on the batch as it arrives, encoded and decoded.
        let encoded = ChangeBatch(BatchPlanner.batches(changes, limit: changes.count).joined().map { $0 }).encoded()
        var decoded = ChangeBatch(changes)
        let decodeSeconds = try measure { decoded = try ChangeBatch.decode(encoded) }
        let signatures = decoded.changes.filter { $0.signature.count == 64 }.count
        let verifySeconds = try measure {
            _ = try ChangeIntake.check(decoded.changes, hashes: decoded.hashes, context: EmptyReceiver(), clock: nil, now: 0)
        }
        let hashSeconds = measure { for change in changes.prefix(20_000) { _ = ChangeHash.of(change) } }
        let signer = ChangeSigner()
        let signSeconds = measure { for change in changes.prefix(2_000) { _ = signer.chain(change, after: ChangeHash.genesis, head: true) } }
        // Legacy changes (format 3, each signed alone) of the signer's own site: a key signs only its site.
        var legacyReplica = Replica(signer: signer, author: "assessor-legacy")
        let legacyRisk = EntityID("0193b000-0000-7000-8000-000000000001")!
        let legacyWritten = try (0..<2_000).map { step in
            try legacyReplica.write(.set(legacyRisk, .risk, field: "title", .text("Risk \(step)")), now: 1_700_000_000_000 + UInt64(step))
        }
        let legacy = try ChangeBatch.decode(ChangeBatch(legacyWritten.map { signer.sign($0) }).encodedLegacy()).changes
        let legacySeconds = try measure { for change in legacy { try ChangeSignature.verify(change) } }
        let bytes = encoded.count
        let unsignedBytes = ChangeBatch(changes.map { $0.with(publicKey: Data(), signature: Data()).with(prev: Data()) }).encoded().count
        print("replica merge: \(changes.count) changes from 10 sites")
        print(String(format: "  one batch:          %.3f s, %.0f changes/s", seconds, Double(changes.count) / seconds))
        print(String(format: "  batches of 1000:    %.3f s, %.0f changes/s", batchedSeconds, Double(changes.count) / batchedSeconds))
        print(String(format: "  decode (format 4):  %.3f s, %.0f changes/s (hashes included)", decodeSeconds, Double(changes.count) / decodeSeconds))
        print(String(format: "  receive checks:     %.3f s, %.0f changes/s (%.2f µs each; %d signatures checked for %d changes)", verifySeconds,
                     Double(changes.count) / verifySeconds, verifySeconds * 1e6 / Double(changes.count), signatures, changes.count))
        print(String(format: "  hash a change:      %.2f µs; sign a head: %.1f µs; verify one legacy signature: %.1f µs",
                     hashSeconds * 1e6 / 20_000, signSeconds * 1e6 / 2_000, legacySeconds * 1e6 / Double(legacy.count)))
        print(String(format: "  encoded (format 4): %.1f bytes/change signed and linked, %.1f unsigned and unlinked", Double(bytes) / Double(changes.count),
                     Double(unsignedBytes) / Double(changes.count)))
        print("  conflicts after merge: \(state.conflicts.count)")
    }
}

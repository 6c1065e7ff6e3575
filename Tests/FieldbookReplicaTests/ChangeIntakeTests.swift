import Foundation
import Testing
import FieldbookModel
@testable import FieldbookReplica

/// The one batch check: `ChangeIntake` refuses a batch whole before anything is merged, and
/// `ReplicaState` merges what it accepted without checking again. Its schema and identity steps
/// are here; history is in `ChainedHistoryTests`, the clock in `RegisterSemanticsTests`.
struct ChangeIntakeTests {
    let ana = try! ChangeSigner(rawRepresentation: Data(repeating: 0x0a, count: 32))
    let ben = try! ChangeSigner(rawRepresentation: Data(repeating: 0x0b, count: 32))
    let risk = EntityID("0193a000-0000-7000-8000-000000000001")!
    let now: UInt64 = 1_700_000_000_000

    /// Ana's change `counter` to the risk's `field`, signed alone.
    func change(_ counter: UInt64, kind: EntityKind = .risk, field: String = "title", _ value: FieldValue) -> Change {
        ana.sign(Change(dot: Dot(site: ana.site, counter: counter), hlc: HLCTimestamp(wall: now + counter, logical: 0), author: "Ana",
                        entity: risk, kind: kind, field: field, value: value))
    }

    @Test("a value of the wrong type for its field fails the batch as a whole")
    func wrongType() throws {
        let json = #"{"format":1,"changes":[{"a":"Ana","d":"0193a3f2-7b7c-7d3e-8f00-0000000000aa/1","e":"r1","f":"likelihood","h":1,"k":"risk","v":{"t":"high"}}]}"#
        let batch = try ChangeBatch.decode(Data(json.utf8))
        var receiver = Replica(signer: ben, author: "Ben")
        let error = #expect(throws: ReplicaError.self) { try receiver.receive(batch.changes, now: now) }
        #expect(error?.description.contains("likelihood takes an integer value") == true, "\(String(describing: error))")
        #expect(receiver.state.changes.isEmpty)
    }

    @Test("a result id must name its requirement")
    func resultIDs() {
        let site = SiteID(UUID(uuidString: "0193a3f2-7b7c-7d3e-8f00-0000000000aa")!)
        let change = Change(dot: Dot(site: site, counter: 1), hlc: HLCTimestamp(rawValue: 1), author: "Ana",
                            entity: EntityID("result:GV-1.1")!, kind: .result, field: "status", value: .enumCase("compliant"))
        var receiver = Replica(signer: ben, author: "Ben")
        let error = #expect(throws: ReplicaError.self) { try receiver.receive([change], now: now) }
        guard case .invalidValue(_, _, let failure)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(failure.field == "entity")
        #expect(receiver.state.changes.isEmpty)
    }

    @Test("a dot reused with other content is refused, within a batch and against what is held; an equal copy is a duplicate")
    func dotReused() throws {
        let first = change(1, .text("Bias")), other = change(1, .text("Drift"))
        var receiver = Replica(signer: ben, author: "Ben")
        #expect(throws: ReplicaError.dotReused(first.dot)) { try receiver.receive([first, other], now: now + 100) }
        #expect(receiver.state.changes.isEmpty)
        #expect(try receiver.receive([first, first], now: now + 100) == [first])
        #expect(throws: ReplicaError.dotReused(first.dot)) { try receiver.receive([other], now: now + 100) }
        #expect(try receiver.receive([first], now: now + 100).isEmpty)
        #expect(receiver.state.changes == [first.dot: first])
    }

    @Test("an entity keeps one kind: a change treating it as another is refused, within a batch and against what is held")
    func kindMismatch() throws {
        let asRisk = change(1, .text("Bias")), asFinding = change(2, kind: .finding, .text("Bias"))
        let refusal = ReplicaError.kindMismatch(risk, existing: .risk, incoming: .finding)
        var receiver = Replica(signer: ben, author: "Ben")
        #expect(throws: refusal) { try receiver.receive([asRisk, asFinding], now: now + 100) }
        #expect(receiver.state.changes.isEmpty)
        try receiver.receive([asRisk], now: now + 100)
        #expect(throws: refusal) { try receiver.receive([asFinding], now: now + 100) }
        #expect(receiver.state.changes == [asRisk.dot: asRisk])
        #expect(receiver.state.entities[risk]?.kind == .risk)
    }

    @Test("a local edit is checked before it is signed (ChangeIntake.checkLocal): schema, and the kind its entity has")
    func localEdits() throws {
        var replica = Replica(signer: ana, author: "Ana")
        try replica.write(.set(risk, .risk, field: "title", .text("Bias")), now: now)
        #expect(throws: ReplicaError.kindMismatch(risk, existing: .risk, incoming: .finding)) {
            try replica.write(.set(risk, .finding, field: "title", .text("Bias")), now: now + 1)
        }
        let error = #expect(throws: ReplicaError.self) { try replica.write(.set(risk, .risk, field: "likelihood", .integer(9)), now: now + 2) }
        guard case .invalidValue? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(replica.state.changes.count == 1)
        #expect(replica.lastCounter == 1)
        #expect(try replica.write(.set(risk, .risk, field: "impact", .integer(2)), now: now + 3).dot.counter == 2)
    }
}

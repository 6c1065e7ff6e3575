import Foundation
import Testing
import FieldbookModel
@testable import FieldbookReplica

struct ChangeBatchCodingTests {
    let site = SiteID(UUID(uuidString: "0193a3f2-7b7c-7d3e-8f00-0000000000aa")!)

    func sample() -> [Change] {
        let risk = EntityID("0193a000-0000-7000-8000-000000000001")!
        return [
            Change(dot: Dot(site: site, counter: 1), hlc: HLCTimestamp(wall: 1_700_000_000_000, logical: 0), author: "Ana",
                   entity: risk, kind: .risk, field: "title", value: .text("Bias \u{2013} \"quoted\"")),
            Change(dot: Dot(site: site, counter: 2), hlc: HLCTimestamp(wall: 1_700_000_000_000, logical: 1), author: "Ana",
                   entity: risk, kind: .risk, field: "requirements", operation: .add, value: .link("iso42001:A.6.2.4")),
            Change(dot: Dot(site: site, counter: 3), hlc: HLCTimestamp(wall: 1_700_000_000_005, logical: 0), author: "Ana",
                   entity: risk, kind: .risk, field: "title", value: .text("Bias"), supersedes: [Dot(site: site, counter: 1)]),
        ]
    }

    @Test("a batch round-trips and encodes to the same bytes every time")
    func roundTrip() throws {
        let batch = ChangeBatch(sample())
        let data = batch.encoded()
        #expect(try ChangeBatch.decode(data) == batch)
        #expect(ChangeBatch(try ChangeBatch.decode(data).changes).encoded() == data)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasPrefix(#"{"changes":[{"a":"Ana","d":"0193a3f2-7b7c-7d3e-8f00-0000000000aa/1","e":"#))
        #expect(text.contains(#""format":1"#))
    }

    @Test("a newer format is refused with a clear message")
    func newerFormat() {
        let data = Data(#"{"format":2,"changes":[]}"#.utf8)
        #expect(throws: ReplicaError.unsupportedFormat(2, supported: 1)) { try ChangeBatch.decode(data) }
    }

    @Test("unknown kinds, ids that don't parse and wrong value types fail the decode", arguments: [
        #"{"format":1,"changes":[{"a":"Ana","d":"0193a3f2-7b7c-7d3e-8f00-0000000000aa/1","e":"x","f":"title","h":1,"k":"spaceship","v":{"t":"x"}}]}"#,
        #"{"format":1,"changes":[{"a":"Ana","d":"not-a-dot","e":"x","f":"title","h":1,"k":"risk","v":{"t":"x"}}]}"#,
        #"{"format":1,"changes":[{"a":"Ana","d":"0193a3f2-7b7c-7d3e-8f00-0000000000aa/1","e":"../x","f":"title","h":1,"k":"risk","v":{"t":"x"}}]}"#,
        #"{"format":1,"changes":[{"a":"Ana","d":"0193a3f2-7b7c-7d3e-8f00-0000000000aa/1","e":"x","f":"title","h":1,"k":"risk","v":{"t":"x","i":2}}]}"#,
        #"{"format":1,"changes":[{"a":"Ana","d":"0193a3f2-7b7c-7d3e-8f00-0000000000aa/1","e":"x","f":"title","h":"soon","k":"risk","v":{"t":"x"}}]}"#,
        #"[1,2,3]"#,
        #"{"format":1,"changes":[{"a":"Ana","d":"0193a3f2-7b7c-7d3e-8f00-0000000000aa/0","e":"x","f":"title","h":1,"k":"risk","v":{"t":"x"}}]}"#,
    ])
    func malformed(json: String) {
        #expect(throws: ReplicaError.self) { try ChangeBatch.decode(Data(json.utf8)) }
    }

    @Test("a value of the wrong type for its field fails the batch as a whole")
    func wrongType() throws {
        let json = #"{"format":1,"changes":[{"a":"Ana","d":"0193a3f2-7b7c-7d3e-8f00-0000000000aa/1","e":"r1","f":"likelihood","h":1,"k":"risk","v":{"t":"high"}}]}"#
        let batch = try ChangeBatch.decode(Data(json.utf8))
        var state = ReplicaState()
        do {
            try state.apply(batch.changes)
            Issue.record("applied a text likelihood")
        } catch {
            #expect(error.description.contains("likelihood takes an integer value"))
        }
        #expect(state.changes.isEmpty)
    }

    @Test("a result id must name its requirement")
    func resultIDs() {
        let change = Change(dot: Dot(site: site, counter: 1), hlc: HLCTimestamp(rawValue: 1), author: "Ana",
                            entity: EntityID("result:GV-1.1")!, kind: .result, field: "status", value: .enumCase("compliant"))
        #expect(throws: ReplicaError.self) { try ReplicaState([change]) }
    }
}

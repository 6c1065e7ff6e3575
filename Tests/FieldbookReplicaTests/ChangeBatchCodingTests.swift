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

    @Test("a batch round-trips in both formats and encodes to the same bytes every time")
    func roundTrip() throws {
        let batch = ChangeBatch(sample())
        let binary = batch.encoded()
        #expect(binary.first == 4)
        #expect(try ChangeBatch.decode(binary).changes == batch.changes)
        #expect(ChangeBatch(try ChangeBatch.decode(binary).changes).encoded() == binary)
        let json = batch.encodedJSON()
        #expect(try ChangeBatch.decode(json).changes == batch.changes)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.hasPrefix(#"{"changes":[{"a":"Ana","d":"0193a3f2-7b7c-7d3e-8f00-0000000000aa/1","e":"#))
        #expect(text.contains(#""format":1"#))
        #expect(binary.count * 3 < json.count)
    }

    @Test("a newer format is refused with a clear message")
    func newerFormat() {
        #expect(throws: ReplicaError.unsupportedFormat(5, supported: 4)) { try ChangeBatch.decode(Data(#"{"format":5,"changes":[]}"#.utf8)) }
        #expect(throws: ReplicaError.unsupportedFormat(5, supported: 4)) { try ChangeBatch.decode(Data([5, 0, 0, 0])) }
    }

    @Test("chained changes keep links, heads' keys and signatures through both formats and still verify; any altered byte is caught")
    func signedRoundTrip() throws {
        let signer = try ChangeSigner(rawRepresentation: Data(repeating: 7, count: 32))
        var replica = Replica(signer: signer, author: "Ana")
        let risk = EntityID("0193a000-0000-7000-8000-000000000001")!
        for index in 0..<5 { try replica.write(.set(risk, .risk, field: "title", .text("Title \(index)")), now: 1_700_000_000_000 + UInt64(index)) }
        let changes = replica.state.changes.values.sorted { $0.dot.counter < $1.dot.counter }
        for encoded in [ChangeBatch(changes).encoded(), ChangeBatch(changes).encodedJSON()] {
            let decoded = try ChangeBatch.decode(encoded).changes
            #expect(decoded == changes)
            var receiver = Replica(author: "Ben")
            try receiver.receive(decoded, now: 1_700_000_000_100)
        }
        // One signature (the run's head, 64 bytes), one key per site (32, and its site index): nothing a
        // change on top of the unsigned, unlinked form.
        let unsigned = ChangeBatch(changes.map { $0.with(publicKey: Data(), signature: Data()).with(prev: Data()) }).encoded()
        let overhead = ChangeBatch(changes).encoded().count - unsigned.count
        #expect(overhead == 64 + 32 + 1, "\(overhead) bytes of keys, signatures and links")
        let binary = ChangeBatch(changes).encoded()
        var rejected = 0
        for offset in 0..<binary.count {
            var corrupted = binary
            corrupted[offset] ^= 0x01
            guard let decoded = try? ChangeBatch.decode(corrupted) else { rejected += 1; continue }
            var receiver = Replica(author: "Ben")
            if (try? receiver.receive(decoded.changes, hashes: decoded.hashes, now: 1_700_000_000_100)) == nil { rejected += 1 }
        }
        #expect(rejected == binary.count, "\(binary.count - rejected) single-bit corruptions passed as valid signed changes")
    }

    @Test("a format 3 batch (a signature per change) written by the previous release still decodes and verifies")
    func legacyFormat() throws {
        let signer = try ChangeSigner(rawRepresentation: Data(repeating: 7, count: 32))
        let legacy = sample().map { signer.sign(Change(dot: Dot(site: signer.site, counter: $0.dot.counter), hlc: $0.hlc, author: $0.author,
                                                       entity: $0.entity, kind: $0.kind, field: $0.field, operation: $0.operation,
                                                       value: $0.value, supersedes: [])) }
        let bytes = ChangeBatch(legacy).encodedLegacy()
        #expect(bytes.first == 3)
        let decoded = try ChangeBatch.decode(bytes)
        #expect(decoded.format == 3 && decoded.changes == legacy)
        var receiver = Replica(author: "Ben")
        #expect(try receiver.receive(decoded.changes, now: 1_700_000_000_100).count == 3)
    }

    @Test("every truncation and every single-byte corruption of a binary batch fails cleanly or decodes validly")
    func hostileBinary() throws {
        let binary = ChangeBatch(sample()).encoded()
        for length in 0..<binary.count {
            #expect(throws: ReplicaError.self) { try ChangeBatch.decode(binary.prefix(length)) }
        }
        for index in binary.indices {
            for flip: UInt8 in [0x01, 0x80, 0xFF] {
                var damaged = binary
                damaged[index] ^= flip
                // Either refused with a ReplicaError or decoded into well-formed changes; never a crash.
                if let batch = try? ChangeBatch.decode(damaged) {
                    #expect(batch.changes.allSatisfy { $0.dot.counter > 0 })
                }
            }
        }
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
}

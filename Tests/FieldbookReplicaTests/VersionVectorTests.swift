import Foundation
import Testing
@testable import FieldbookReplica

struct VersionVectorTests {
    let a = SiteID(UUID(uuidString: "00000000-0000-0000-0000-00000000000a")!)
    let b = SiteID(UUID(uuidString: "00000000-0000-0000-0000-00000000000b")!)

    @Test("out-of-order counters are held as exceptions and absorbed when the gap fills")
    func exceptions() {
        var vector = VersionVector()
        for n: UInt64 in [1, 2, 5, 4, 7] { vector.insert(Dot(site: a, counter: n)) }
        #expect(vector.entries[a] == .init(contiguous: 2, exceptions: [4, 5, 7]))
        #expect(vector.contains(Dot(site: a, counter: 5)) && !vector.contains(Dot(site: a, counter: 3)))
        vector.insert(Dot(site: a, counter: 3))
        #expect(vector.entries[a] == .init(contiguous: 5, exceptions: [7]))
        #expect(vector.count == 6)
        #expect(vector.highest(for: a) == 7)
    }

    @Test("what the other side lacks, from two vectors")
    func missing() {
        var mine = VersionVector(), theirs = VersionVector()
        for n: UInt64 in 1...10 { mine.insert(Dot(site: a, counter: n)) }
        for n: UInt64 in [1, 2, 3, 6, 8] { theirs.insert(Dot(site: a, counter: n)) }
        for n: UInt64 in 1...3 { mine.insert(Dot(site: b, counter: n)); theirs.insert(Dot(site: b, counter: n)) }
        theirs.insert(Dot(site: b, counter: 4))
        #expect(mine.missing(from: theirs) == [a: [4...5, 7...7, 9...10]])
        #expect(theirs.missing(from: mine) == [b: [4...4]])
        #expect(!mine.includes(theirs))
        var union = mine
        union.formUnion(theirs)
        #expect(union.includes(mine) && union.includes(theirs))
        #expect(union.missing(from: mine) == [b: [4...4]])
    }

    @Test("the vector encodes stably and refuses malformed exceptions")
    func coding() throws {
        var vector = VersionVector()
        vector.insert(Dot(site: a, counter: 1))
        vector.insert(Dot(site: a, counter: 3))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(vector), as: UTF8.self)
        #expect(text == #"{"\#(a.text)":{"c":1,"x":[3]}}"#)
        #expect(try JSONDecoder().decode(VersionVector.self, from: Data(text.utf8)) == vector)
        let bad = #"{"\#(a.text)":{"c":5,"x":[3]}}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(VersionVector.self, from: Data(bad.utf8)) }
    }
}

import Foundation
import Testing
import FieldbookModel
@testable import FieldbookReplica

/// Hash-linked signed history: one signature at a run's head covers the run; every way of
/// cutting, reordering or forging a run in transit is refused whole, naming author and change.
struct ChainedHistoryTests {
    let ana = try! ChangeSigner(rawRepresentation: Data(repeating: 0x0a, count: 32))
    let ben = try! ChangeSigner(rawRepresentation: Data(repeating: 0x0b, count: 32))
    let risk = EntityID("0193a000-0000-7000-8000-000000000001")!
    let now: UInt64 = 1_700_000_000_000

    /// `count` changes by one signer, chained, signed only at the end (one write).
    func run(_ signer: ChangeSigner, author: String, count: Int, from first: UInt64 = 1, after previous: Data = ChangeHash.genesis) -> [Change] {
        var previous = previous
        var changes: [Change] = []
        for offset in 0..<UInt64(count) {
            let counter = first + offset
            let change = Change(dot: Dot(site: signer.site, counter: counter), hlc: HLCTimestamp(wall: now + counter, logical: 0),
                                author: author, entity: risk, kind: .risk, field: "description", value: .text("note \(counter)"))
            let (linked, hash) = signer.chain(change, after: previous, head: offset == UInt64(count) - 1)
            changes.append(linked)
            previous = hash
        }
        return changes
    }

    /// Through the wire format, as a receiver gets it: signatures only at run ends.
    func arrive(_ changes: [Change]) throws -> ChangeBatch {
        try ChangeBatch.decode(ChangeBatch(changes).encoded())
    }

    @Test("a run travels with one signature and one key, and its receiver checks one signature")
    func oneSignaturePerRun() throws {
        let changes = run(ana, author: "Ana", count: 50)
        let batch = try arrive(changes)
        #expect(batch.changes == changes)
        #expect(batch.changes.filter { $0.signature.count == 64 }.map(\.dot.counter) == [50])
        let unsigned = ChangeBatch(changes.map { $0.with(publicKey: Data(), signature: Data()).with(prev: Data()) }).encoded().count
        // One 64-byte signature and one 32-byte key with its site index: no link bytes.
        #expect(ChangeBatch(changes).encoded().count - unsigned == 64 + 32 + 1)
        var receiver = Replica(signer: ben, author: "Ben")
        #expect(try receiver.receive(batch.changes, hashes: batch.hashes, now: now + 100).count == 50)
    }

    @Test("a change dropped from the middle of a run leaves the changes before it uncovered: refused whole")
    func droppedFromTheMiddle() throws {
        var changes = try arrive(run(ana, author: "Ana", count: 5)).changes
        changes.remove(at: 2)
        var receiver = Replica(signer: ben, author: "Ben")
        #expect(throws: ReplicaError.unverifiable(Dot(site: ana.site, counter: 2), author: "Ana")) {
            try receiver.receive(changes, now: now + 100)
        }
        #expect(receiver.state.changes.isEmpty)
        #expect(ReplicaError.unverifiable(Dot(site: ana.site, counter: 2), author: "Ana").description
            .contains("Change \(ana.site.text)/2 by 'Ana' is not covered by any signature"))
    }

    @Test("two changes swapped, or one altered, break the hashes: refused whole")
    func swappedOrAltered() throws {
        let changes = try arrive(run(ana, author: "Ana", count: 5)).changes
        // Swap the contents of 2 and 3, keeping their places in the run.
        func moved(_ change: Change, to counter: UInt64, prev: Data) -> Change {
            Change(dot: Dot(site: change.dot.site, counter: counter), hlc: change.hlc, author: change.author, entity: change.entity,
                   kind: change.kind, field: change.field, value: change.value, supersedes: change.supersedes,
                   publicKey: change.publicKey, signature: change.signature, prev: prev)
        }
        var swapped = changes
        swapped[1] = moved(changes[2], to: 2, prev: changes[1].prev)
        swapped[2] = moved(changes[1], to: 3, prev: ChangeHash.of(swapped[1]))
        var receiver = Replica(signer: ben, author: "Ben")
        #expect(throws: ReplicaError.self) { try receiver.receive(swapped, now: now + 100) }
        var altered = changes
        altered[3] = Change(dot: changes[3].dot, hlc: changes[3].hlc, author: "Ana", entity: risk, kind: .risk, field: "description",
                            value: .text("not what Ana wrote"), prev: changes[3].prev)
        #expect(throws: ReplicaError.self) { try receiver.receive(altered, now: now + 100) }
        // Altered and re-linked all the way to the head: the head's signature no longer matches.
        var relinked = Array(changes.prefix(3)) + [altered[3]]
        relinked.append(changes[4].with(prev: ChangeHash.of(altered[3])))
        #expect(throws: ReplicaError.forged(Dot(site: ana.site, counter: 5), author: "Ana")) { try receiver.receive(relinked, now: now + 100) }
        #expect(receiver.state.changes.isEmpty)
    }

    @Test("a head's signature moved to another run, or an old head replayed over forged changes, is refused")
    func movedAndReplayedHeads() throws {
        let anaRun = try arrive(run(ana, author: "Ana", count: 3)).changes
        let benRun = try arrive(run(ben, author: "Ben", count: 3)).changes
        let moved = benRun[2].with(publicKey: ben.publicKey, signature: anaRun[2].signature)
        var receiver = Replica(author: "Cy")
        #expect(throws: ReplicaError.forged(moved.dot, author: "Ben")) { try receiver.receive(Array(benRun.prefix(2)) + [moved], now: now + 100) }
        // Ana's signed head 3 arrives, then someone appends changes 4 and 5 "by Ana" with no
        // signature of hers, replaying head 3 as if it covered them.
        try receiver.receive(anaRun, now: now + 100)
        let forged = [anaRun[2]] + (4...5).map { counter in
            Change(dot: Dot(site: ana.site, counter: UInt64(counter)), hlc: HLCTimestamp(wall: now + 50, logical: 0), author: "Ana",
                   entity: risk, kind: .risk, field: "title", value: .text("forged"), prev: ChangeHash.genesis)
        }
        #expect(throws: ReplicaError.self) { try receiver.receive(forged, now: now + 100) }
        #expect(receiver.state.changes.count == 3)
    }

    @Test("out-of-order and partial deliveries: the tail first, then the changes it covers")
    func outOfOrder() throws {
        let changes = run(ana, author: "Ana", count: 6)
        var receiver = Replica(signer: ben, author: "Ben")
        // The tail first: 6 is signed, 5 and 4 are covered by it.
        try receiver.receive(Array(changes[3...]).map { $0.dot.counter == 6 ? $0 : $0.with(publicKey: Data(), signature: Data()) }, now: now + 100)
        // Then 1 to 3, none signed: 3 is covered by the held 4, which names its hash.
        let head = changes.prefix(3).map { $0.with(publicKey: Data(), signature: Data()) }
        try receiver.receive(Array(head), now: now + 100)
        #expect(receiver.state.changes.count == 6)
        // A second copy of anything is a duplicate, signed or not.
        #expect(try receiver.receive(changes, now: now + 100).isEmpty)
    }

    @Test("a batch continuing a held history must link to it; a fork is refused")
    func forkRefused() throws {
        let first = run(ana, author: "Ana", count: 3)
        var receiver = Replica(signer: ben, author: "Ben")
        try receiver.receive(first, now: now + 100)
        let fork = run(ana, author: "Ana", count: 2, from: 4, after: ChangeHash.genesis)
        #expect(throws: ReplicaError.brokenHistory(Dot(site: ana.site, counter: 4), author: "Ana")) { try receiver.receive(fork, now: now + 100) }
        let continued = run(ana, author: "Ana", count: 2, from: 4, after: ChangeHash.of(first[2]))
        #expect(try receiver.receive(continued, now: now + 100).count == 2)
    }

    @Test("legacy changes (format 3, a signature each) still decode and verify, and a chain may follow them")
    func legacyThenChained() throws {
        let legacy = (1...3).map { counter in
            ana.sign(Change(dot: Dot(site: ana.site, counter: UInt64(counter)), hlc: HLCTimestamp(wall: now + UInt64(counter), logical: 0),
                            author: "Ana", entity: risk, kind: .risk, field: "title", value: .text("v\(counter)")))
        }
        let bytes = ChangeBatch(legacy).encodedLegacy()
        #expect(bytes.first == 3)
        let decoded = try ChangeBatch.decode(bytes)
        #expect(decoded.changes == legacy && decoded.changes.allSatisfy { !$0.isChained })
        var receiver = Replica(signer: ben, author: "Ben")
        try receiver.receive(decoded.changes, now: now + 100)
        let chained = run(ana, author: "Ana", count: 2, from: 4, after: ChangeHash.of(legacy[2]))
        let arrived = try arrive(legacy + chained)
        #expect(try receiver.receive(arrived.changes, hashes: arrived.hashes, now: now + 100).count == 2)
        var forgedLegacy = legacy
        forgedLegacy[1] = Change(dot: legacy[1].dot, hlc: legacy[1].hlc, author: "Ana", entity: risk, kind: .risk, field: "title",
                                 value: .text("changed"), publicKey: legacy[1].publicKey, signature: legacy[1].signature)
        var other = Replica(author: "Cy")
        #expect(throws: ReplicaError.forged(legacy[1].dot, author: "Ana")) { try other.receive(forgedLegacy, now: now + 100) }
    }

    @Test("the batch planner cuts only after signed changes and keeps batches within the limit")
    func planner() throws {
        // Three writes of 4, 4 and 2 changes: signed at 4, 8 and 10.
        var changes = run(ana, author: "Ana", count: 4)
        changes += run(ana, author: "Ana", count: 4, from: 5, after: ChangeHash.of(changes[3]))
        changes += run(ana, author: "Ana", count: 2, from: 9, after: ChangeHash.of(changes[7]))
        let batches = BatchPlanner.batches(changes.shuffled(), limit: 5)
        #expect(batches.map { $0.map(\.dot.counter) } == [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]])
        #expect(batches.allSatisfy { $0.last?.signature.count == 64 })
        var receiver = Replica(author: "Cy")
        for batch in batches {
            let arrived = try arrive(batch)
            try receiver.receive(arrived.changes, hashes: arrived.hashes, now: now + 100)
        }
        #expect(receiver.state.changes.count == 10)
    }
}

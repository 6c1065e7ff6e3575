import Foundation
import Testing
import FieldbookModel
@testable import FieldbookReplica

/// Worked examples of the merge rules, two assessors at a time.
struct RegisterSemanticsTests {
    /// Ana's site sorts before Ben's, as the examples' tie-breaks assume.
    static func pair() -> (Replica, Replica) {
        let signers = [UInt8(0x0a), 0x0b].map { try! ChangeSigner(rawRepresentation: Data(repeating: $0, count: 32)) }
            .sorted { $0.site < $1.site }
        return (Replica(signer: signers[0], author: "Ana"), Replica(signer: signers[1], author: "Ben"))
    }

    let risk = EntityID("0193a000-0000-7000-8000-000000000001")!
    let result = EntityID.result(for: RequirementID(qualified: "iso42001:A.6.2.4")!)

    func exchange(_ x: inout Replica, _ y: inout Replica, now: UInt64) throws {
        let toY = Array(x.state.changes.values), toX = Array(y.state.changes.values)
        try y.receive(toY, now: now)
        try x.receive(toX, now: now)
    }

    @Test("concurrent writes to one field are a conflict showing both values; a resolution clears it everywhere")
    func concurrentWrites() throws {
        var (ana, ben) = Self.pair()
        try ana.write(.set(result, .result, field: "status", .enumCase("compliant")), now: 100)
        try ben.write(.set(result, .result, field: "status", .enumCase("non-compliant")), now: 100)
        try exchange(&ana, &ben, now: 200)
        let conflict = try #require(ana.state.conflicts.first)
        #expect(conflict.field == "status")
        #expect(Set(conflict.values.map(\.author)) == ["Ana", "Ben"])
        #expect(Set(conflict.values.map(\.value)) == [.enumCase("compliant"), .enumCase("non-compliant")])
        // Same HLC: the greater site id wins the display, identically on both.
        #expect(ana.state.entities[result]?.value("status") == .enumCase("non-compliant"))
        #expect(ben.state.entities[result]?.value("status") == .enumCase("non-compliant"))
        try ana.write(.set(result, .result, field: "status", .enumCase("partially-compliant")), now: 300)
        try exchange(&ana, &ben, now: 400)
        #expect(ana.state.conflicts.isEmpty && ben.state.conflicts.isEmpty)
        #expect(ben.state.entities[result]?.value("status") == .enumCase("partially-compliant"))
        #expect(ben.state.history(of: result).count == 3)
    }

    @Test("two concurrent resolutions are themselves a conflict")
    func concurrentResolutions() throws {
        var (ana, ben) = Self.pair()
        try ana.write(.set(risk, .risk, field: "title", .text("Bias")), now: 100)
        try ben.write(.set(risk, .risk, field: "title", .text("Drift")), now: 100)
        try exchange(&ana, &ben, now: 150)
        try ana.write(.set(risk, .risk, field: "title", .text("Bias in scoring")), now: 200)
        try ben.write(.set(risk, .risk, field: "title", .text("Model drift")), now: 200)
        try exchange(&ana, &ben, now: 250)
        #expect(ana.state.conflicts.map(\.field) == ["title"])
        #expect(Set(ana.state.conflicts[0].values.map(\.value.description)) == ["Bias in scoring", "Model drift"])
    }

    @Test("a sequential write supersedes without a conflict")
    func sequential() throws {
        var (ana, ben) = Self.pair()
        try ana.write(.set(risk, .risk, field: "likelihood", .integer(2)), now: 100)
        try exchange(&ana, &ben, now: 150)
        try ben.write(.set(risk, .risk, field: "likelihood", .integer(4)), now: 160)
        try exchange(&ana, &ben, now: 170)
        #expect(ana.state.conflicts.isEmpty)
        #expect(ana.state.entities[risk]?.value("likelihood") == .integer(4))
    }

    @Test("a link added concurrently with its removal survives (add wins)")
    func addWins() throws {
        var (ana, ben) = Self.pair()
        let evidence = EntityID("0193b000-0000-7000-8000-000000000001")!
        try ana.write(.link(evidence, .evidence, field: "requirements", target: "iso42001:A.6.2.4"), now: 100)
        try exchange(&ana, &ben, now: 150)
        try ben.write(.unlink(evidence, .evidence, field: "requirements", target: "iso42001:A.6.2.4"), now: 200)
        try ana.write(.link(evidence, .evidence, field: "requirements", target: "iso42001:A.6.2.4"), now: 200)
        try exchange(&ana, &ben, now: 250)
        #expect(ben.state.entities[evidence]?.linked("requirements") == ["iso42001:A.6.2.4"])
        try ben.write(.unlink(evidence, .evidence, field: "requirements", target: "iso42001:A.6.2.4"), now: 300)
        try exchange(&ana, &ben, now: 350)
        #expect(ana.state.entities[evidence]?.linked("requirements") == [])
    }

    @Test("an edit concurrent with a deletion is a conflict, not a silent resurrection or loss")
    func deleteVersusEdit() throws {
        var (ana, ben) = Self.pair()
        try ana.write(.set(risk, .risk, field: "title", .text("Bias")), now: 100)
        try exchange(&ana, &ben, now: 150)
        try ana.write(.delete(risk, .risk), now: 200)
        try ben.write(.set(risk, .risk, field: "impact", .integer(5)), now: 200)
        try exchange(&ana, &ben, now: 250)
        for replica in [ana, ben] {
            let entity = try #require(replica.state.entities[risk])
            #expect(entity.isDeleted)
            #expect(entity.value("impact") == .integer(5))
            let conflict = try #require(replica.state.conflicts.first)
            #expect(conflict.isDeletion)
            #expect(conflict.values.map(\.author) == ["Ana", "Ben"])
        }
        // Restoring keeps Ben's edit and clears the conflict.
        try ben.write(.restore(risk, .risk), now: 300)
        try exchange(&ana, &ben, now: 350)
        #expect(ana.state.conflicts.isEmpty)
        #expect(ana.state.entities[risk]?.isDeleted == false)
        #expect(ana.state.entities[risk]?.value("impact") == .integer(5))
    }

    @Test("a deletion that saw every edit is no conflict")
    func cleanDelete() throws {
        var (ana, ben) = Self.pair()
        try ana.write(.set(risk, .risk, field: "title", .text("Bias")), now: 100)
        try exchange(&ana, &ben, now: 150)
        try ben.write(.delete(risk, .risk), now: 200)
        try exchange(&ana, &ben, now: 250)
        #expect(ana.state.entities[risk]?.isDeleted == true)
        #expect(ana.state.conflicts.isEmpty)
    }

    @Test("a batch with an invalid change is refused whole")
    func atomicRefusal() throws {
        var (ana, ben) = Self.pair()
        let good = try ana.write(.set(risk, .risk, field: "title", .text("Bias")), now: 100)
        let bad = ana.signer.sign(Change(dot: Dot(site: ana.site, counter: 2), hlc: HLCTimestamp(wall: 101, logical: 0), author: "Ana",
                                         entity: risk, kind: .risk, field: "likelihood", value: .integer(9)))
        #expect(throws: ReplicaError.self) { try ben.receive([good, bad], now: 200) }
        #expect(ben.state.changes.isEmpty)
        let future = ana.signer.sign(Change(dot: Dot(site: ana.site, counter: 3), hlc: HLCTimestamp(wall: 200 + 86_400_000, logical: 0),
                                            author: "Ana", entity: risk, kind: .risk, field: "impact", value: .integer(2)))
        #expect(throws: ReplicaError.clockSkew(ClockSkewError(site: ana.site, skewMilliseconds: 86_400_000,
                                                               boundMilliseconds: HybridLogicalClock.defaultMaximumSkew))) {
            try ben.receive([good, future], now: 200)
        }
        #expect(ben.state.changes.isEmpty)
    }
}

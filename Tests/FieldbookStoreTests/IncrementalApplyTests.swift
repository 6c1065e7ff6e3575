import FieldbookTestSupport
import FieldbookModel
import FieldbookReplica
import FieldbookStore
import Foundation
import Testing

/// The store's incremental, SQL-side materialisation must show exactly what the pure merge
/// core computes from the same changes, whatever order and batching they arrive in.
struct IncrementalApplyTests {
    static func randomChanges(seed: UInt64, replicas: Int = 4, steps: Int = 300) throws -> [Change] {
        var random = SeededRandom(seed: seed)
        var sites = (0..<replicas).map { Replica(author: "assessor-\($0)") }
        let risks = (1...4).map { EntityID("0193a000-0000-7000-8000-00000000000\($0)")! }
        let results = ["nist-ai-rmf:GOVERN-1.1", "iso42001:A.6.2.4"].map { EntityID.result(for: RequirementID(qualified: $0)!) }
        var now: UInt64 = 1_700_000_000_000
        for _ in 0..<steps {
            now += UInt64.random(in: 0...3, using: &random)
            let index = Int.random(in: 0..<replicas, using: &random)
            if Int.random(in: 0..<10, using: &random) < 3 {
                // Partial delivery from another replica.
                let from = (index + 1) % replicas
                let some = sites[from].state.changes.values.filter { _ in Bool.random(using: &random) }
                try sites[index].receive(Array(some), now: now)
                continue
            }
            let risk = risks.randomElement(using: &random)!
            let edit: LocalEdit
            switch Int.random(in: 0..<8, using: &random) {
            case 0: edit = .set(risk, .risk, field: "title", .text(["Bias", "Drift", "Leak"].randomElement(using: &random)!))
            case 1: edit = .set(risk, .risk, field: "likelihood", .integer(Int64.random(in: 1...5, using: &random)))
            case 2: edit = .set(risk, .risk, field: "impact", .integer(Int64.random(in: 1...5, using: &random)))
            case 3: edit = .link(risk, .risk, field: "requirements", target: "iso42001:A.6.2.4")
            case 4: edit = .unlink(risk, .risk, field: "requirements", target: "iso42001:A.6.2.4")
            case 5: edit = .delete(risk, .risk)
            case 6: edit = .restore(risk, .risk)
            default: edit = .set(results.randomElement(using: &random)!, .result, field: "status",
                                 .enumCase(AssessmentStatus.allCases.randomElement(using: &random)!.rawValue))
            }
            try sites[index].write(edit, now: now)
        }
        var all: [Dot: Change] = [:]
        for site in sites { for (dot, change) in site.state.changes { all[dot] = change } }
        return Array(all.values)
    }

    @Test("random batches in random order materialise to what the pure merge computes", arguments: 0..<12)
    func matchesPureMerge(seed: UInt64) throws {
        let changes = try Self.randomChanges(seed: seed)
        var random = SeededRandom(seed: seed &* 7 &+ 1)
        let temporary = try TemporaryWorkspace()
        var remaining = changes.shuffled(using: &random)
        while !remaining.isEmpty {
            let size = Int.random(in: 1...40, using: &random)
            var batch = Array(remaining.prefix(size))
            batch += batch.filter { _ in Int.random(in: 0..<5, using: &random) == 0 }  // duplicates
            _ = try temporary.workspace.apply(remote: batch, now: 1_800_000_000_000)
            remaining.removeFirst(min(size, remaining.count))
        }
        let expected = ReplicaState(changes)
        for kind in [EntityKind.risk, .result] {
            for record in try temporary.workspace.records(kind, includeDeleted: true) {
                let entity = try #require(expected.entities[record.id], "seed \(seed)")
                #expect(record.deleted == entity.isDeleted, "seed \(seed): deleted of \(record.id)")
                #expect(record.conflictedFields == entity.conflicts.map(\.field), "seed \(seed): conflicts of \(record.id)")
                for field in EntitySchema.columns(of: kind) {
                    #expect(record.fields[field] == entity.value(field), "seed \(seed): \(record.id).\(field)")
                }
                #expect(record.requirements == entity.linked("requirements"), "seed \(seed): links of \(record.id)")
            }
        }
        let storeConflicts = try temporary.workspace.conflicts()
        #expect(storeConflicts.map(\.field) == expected.conflicts.filter { $0.entity.rawValue != "eng-test" }.map(\.field), "seed \(seed)")
        let held = try temporary.workspace.versionVector()
        // Everything received, plus the workspace's own first change (the engagement name).
        #expect(held.includes(expected.vector) && held.count == expected.vector.count + 1, "seed \(seed): version vector")
    }
}

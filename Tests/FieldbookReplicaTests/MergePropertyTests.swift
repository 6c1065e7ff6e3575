import FieldbookTestSupport
import Foundation
import Testing
import FieldbookModel
@testable import FieldbookReplica

/// Random multi-replica workloads: any delivery order, duplicates and partial deliveries.
/// A failure prints its seed; replay it with FIELDBOOK_PROPERTY_SEED=<seed>.
/// Each seed ends with `Task.yield()`: these loops take a minute or two, and without yielding
/// they would hold both of a 2-core machine's test threads while every other test waited.
struct MergePropertyTests {
    static let seeds = PropertySeeds.seeds(default: 1000)

    @Test("replicas that received the same changes converge, lose nothing, and conflict exactly on concurrent writes")
    func convergence() async throws {
        for seed in Self.seeds {
            var random = SeededRandom(seed: seed)
            var workload = Workload(seed: seed, replicaCount: Int.random(in: 3...8, using: &random))
            for _ in 0..<Int.random(in: 20...60, using: &random) { try workload.step() }
            try workload.exchangeEverything()
            try check(workload, seed: seed)
            await Task.yield()
        }
    }

    private func check(_ workload: Workload, seed: UInt64) throws {
        let reference = Snapshot(workload.replicas[0].state)
        for replica in workload.replicas {
            #expect(Set(replica.state.changes.keys) == Set(workload.made.keys), "seed \(seed): a change is missing from \(replica.site.short)")
            #expect(Snapshot(replica.state) == reference, "seed \(seed): \(replica.site.short) did not converge")
            if Snapshot(replica.state) != reference { return }
        }
        let oracle = Oracle(made: workload.made, seen: workload.seen)
        let state = workload.replicas[0].state
        for (id, entity) in state.entities {
            for (field, register) in entity.fields {
                let expected = oracle.live(entity: id, field: field)
                #expect(Set(register.live.keys) == expected, "seed \(seed): live values of \(id).\(field)")
                #expect(register.winner?.dot == oracle.winner(of: expected)?.dot, "seed \(seed): shown value of \(id).\(field)")
            }
            for field in entity.links.keys {
                #expect(Set(entity.linked(field)) == oracle.linked(entity: id, field: field), "seed \(seed): links of \(id).\(field)")
            }
            #expect(Set(entity.conflicts.map(\.field)) == oracle.conflictedFields(of: id), "seed \(seed): conflicts of \(id)")
        }
        // The clock orders every change after everything its writer had seen.
        for (dot, change) in workload.made {
            for earlier in workload.past[dot] ?? [] {
                #expect(workload.made[earlier]!.hlc < change.hlc, "seed \(seed): \(earlier) is not before \(dot)")
            }
        }
    }

    @Test("merge is commutative, associative and idempotent over random subsets")
    func mergeLaws() async throws {
        for seed in Self.seeds {
            var workload = Workload(seed: seed, replicaCount: 4)
            for _ in 0..<40 { try workload.step() }
            var random = SeededRandom(seed: seed &+ 1)
            let all = Array(workload.made.values)
            let parts = (0..<3).map { _ in all.filter { _ in random.chance(0.5) } }
            let (a, b, c) = (ReplicaState(parts[0].shuffled(using: &random)),
                             ReplicaState(parts[1].shuffled(using: &random)),
                             ReplicaState(parts[2].shuffled(using: &random)))
            func merged(_ x: ReplicaState, _ y: ReplicaState) -> ReplicaState {
                var result = x
                result.merge(y)
                return result
            }
            #expect(Snapshot(merged(a, b)) == Snapshot(merged(b, a)), "seed \(seed): not commutative")
            #expect(Snapshot(merged(merged(a, b), c)) == Snapshot(merged(a, merged(b, c))), "seed \(seed): not associative")
            #expect(Snapshot(merged(a, a)) == Snapshot(a), "seed \(seed): not idempotent")
            var twice = ReplicaState(all.shuffled(using: &random))
            twice.apply(all.shuffled(using: &random))
            #expect(Snapshot(twice) == Snapshot(ReplicaState(all)), "seed \(seed): applying twice changed the state")
            await Task.yield()
        }
    }
}

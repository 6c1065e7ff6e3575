import FieldbookTestSupport
import Foundation
import FieldbookModel
@testable import FieldbookReplica

/// A random multi-replica session: replicas edit a shared pool of entities and deliver
/// random subsets of their changes to each other, in random order, with duplicates. It keeps
/// an independent record of causality (what each writer had seen) to act as the oracle.
struct Workload {
    var random: SeededRandom
    var replicas: [Replica]
    /// Every change ever made, by dot.
    var made: [Dot: Change] = [:]
    /// The dots each change's writer held when writing it: what it had seen.
    var seen: [Dot: Set<Dot>] = [:]
    /// The transitive causal past of each change: what it had seen, and what those had seen.
    var past: [Dot: Set<Dot>] = [:]
    var time: UInt64 = 1_700_000_000_000
    var offsets: [UInt64]

    static let risks = (1...3).map { EntityID("0193a000-0000-7000-8000-00000000000\($0)")! }
    static let evidence = (1...2).map { EntityID("0193b000-0000-7000-8000-00000000000\($0)")! }
    static let requirements = ["nist-ai-rmf:GOVERN-1.1", "nist-ai-rmf:MAP-1.1", "iso42001:A.6.2.4"]
    static let results = requirements.map { EntityID.result(for: RequirementID(qualified: $0)!) }

    init(seed: UInt64, replicaCount: Int) {
        random = SeededRandom(seed: seed)
        replicas = (0..<replicaCount).map { index in
            // A key per replica from the seed, so a failing seed replays with the same sites.
            var bytes = [UInt8](repeating: 0, count: 32)
            bytes[0] = UInt8(index + 1)
            withUnsafeBytes(of: seed.littleEndian) { bytes.replaceSubrange(1..<9, with: $0) }
            return Replica(signer: try! ChangeSigner(rawRepresentation: Data(bytes)), author: "assessor-\(index)")
        }
        var generator = SeededRandom(seed: seed ^ 0xABCDEF)
        // Clocks apart by up to 2 s, within the skew bound; several replicas often share a
        // clock exactly, so equal timestamps from different sites exercise the tie-break.
        offsets = (0..<replicaCount).map { _ in generator.pick([0, 0, 1, 700, UInt64.random(in: 0...2_000, using: &generator)]) }
    }

    func now(_ replica: Int) -> UInt64 { time + offsets[replica] }

    mutating func step() throws {
        // Some steps share a millisecond, to exercise the logical counter.
        time += random.chance(0.3) ? 0 : UInt64.random(in: 1...5, using: &random)
        if random.chance(0.35) { try deliver() } else { try edit() }
    }

    mutating func edit() throws {
        let index = Int.random(in: 0..<replicas.count, using: &random)
        let state = replicas[index].state
        let seen = Set(state.changes.keys)
        let edit = randomEdit(state: state)
        let change = try replicas[index].write(edit, now: now(index))
        made[change.dot] = change
        self.seen[change.dot] = seen
        var causal = seen
        for dot in seen { causal.formUnion(past[dot] ?? []) }
        past[change.dot] = causal
    }

    mutating func randomEdit(state: ReplicaState) -> LocalEdit {
        let roll = Double.random(in: 0..<1, using: &random)
        if roll < 0.30 {
            let result = random.pick(Self.results)
            return random.chance(0.6)
                ? .set(result, .result, field: "status", .enumCase(random.pick(AssessmentStatus.allCases).rawValue))
                : .set(result, .result, field: "maturity", .integer(Int64.random(in: 0...5, using: &random)))
        }
        let risk = random.pick(Self.risks)
        if roll < 0.55 {
            return random.chance(0.5)
                ? .set(risk, .risk, field: "title", .text(random.pick(["Bias", "Drift", "Leak", "Misuse"])))
                : .set(risk, .risk, field: "likelihood", .integer(Int64.random(in: 1...5, using: &random)))
        }
        if roll < 0.72 {
            let evidence = random.pick(Self.evidence)
            let target = random.pick(Self.requirements)
            return random.chance(0.65)
                ? .link(evidence, .evidence, field: "requirements", target: target)
                : .unlink(evidence, .evidence, field: "requirements", target: target)
        }
        if roll < 0.82 { return .delete(risk, .risk) }
        if roll < 0.88 { return .restore(risk, .risk) }
        // Resolve a visible conflict if there is one, else write a description.
        if let conflict = state.conflicts.first(where: { $0.field != EntitySchema.deletedField }) {
            return .set(conflict.entity, conflict.kind, field: conflict.field, conflict.values.last!.value)
        }
        return .set(risk, .risk, field: "description", .text("note \(Int.random(in: 0..<4, using: &random))"))
    }

    /// Sends a random subset of one replica's changes to another, shuffled, with duplicates.
    mutating func deliver() throws {
        let from = Int.random(in: 0..<replicas.count, using: &random)
        var to = Int.random(in: 0..<replicas.count, using: &random)
        if to == from { to = (to + 1) % replicas.count }
        let all = Array(replicas[from].state.changes.values)
        var batch = all.filter { _ in random.chance(0.6) }
        batch += batch.filter { _ in random.chance(0.2) }
        batch.shuffle(using: &random)
        try replicas[to].receive(batch, now: now(to))
    }

    /// Every replica receives everything, in its own random order and batching.
    mutating func exchangeEverything() throws {
        let everything = Array(made.values)
        for index in replicas.indices {
            var remaining = everything.shuffled(using: &random)
            while !remaining.isEmpty {
                let size = Int.random(in: 1...max(1, remaining.count), using: &random)
                try replicas[index].receive(Array(remaining.prefix(size)), now: time + 10_000_000)
                remaining.removeFirst(min(size, remaining.count))
            }
        }
    }
}

import FieldbookModel
import FieldbookReplica
import FieldbookSync
import FieldbookWire
import Foundation

/// `fieldbook-bench load SECONDS URL... < ASSIGNMENTS`: simulated assessors, each syncing a few
/// small signed edits every few seconds for SECONDS, as `fieldbook sync` does it (vector, push,
/// pull from position 0 with its vector), each request to any of the servers as a load balancer
/// without stickiness would send it. Assignments on stdin, one `ENGAGEMENT TOKEN ASSESSOR` a
/// line (Scripts/bench-load.sh issues them). Prints latency percentiles, throughput and errors.
/// `LOAD_PAUSE_MS=MIN-MAX` (default 2000-6000): the pause between one assessor's syncs.
enum LoadBenchmark {
    struct Assignment: Sendable {
        let engagement: String
        let token: String
        let assessor: String
    }

    static func run(_ arguments: [String]) async throws {
        guard arguments.count >= 2, let seconds = Double(arguments[0]) else {
            FileHandle.standardError.write(Data("usage: fieldbook-bench load SECONDS URL... < ASSIGNMENTS\n".utf8))
            exit(1)
        }
        let servers = arguments.dropFirst().compactMap(URL.init(string:))
        var assignments: [Assignment] = []
        while let line = readLine() {
            let fields = line.split(separator: " ", maxSplits: 2).map(String.init)
            if fields.count == 3 { assignments.append(Assignment(engagement: fields[0], token: fields[1], assessor: fields[2])) }
        }
        let pause = (ProcessInfo.processInfo.environment["LOAD_PAUSE_MS"] ?? "2000-6000").split(separator: "-").compactMap { UInt64($0) }
        let pauses = (pause.first ?? 2000)...(pause.last ?? 6000)
        let engagements = Set(assignments.map(\.engagement)).count
        print("load: \(assignments.count) assessors in \(engagements) engagements for \(Int(seconds)) s, a sync each every \(pauses.lowerBound)-\(pauses.upperBound) ms, through \(servers.map(\.absoluteString).joined(separator: " "))")

        let recorder = LoadRecorder()
        let start = DispatchTime.now().uptimeNanoseconds
        let deadline = start + UInt64(seconds * 1e9)
        await withTaskGroup(of: Void.self) { group in
            for (index, assignment) in assignments.enumerated() {
                let assessor = SimulatedAssessor(index: index, assignment: assignment, servers: servers, pauses: pauses, recorder: recorder)
                group.addTask { await assessor.run(until: deadline) }
            }
        }
        recorder.report(seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
}

/// One assessor's laptop, in memory: a replica that signs its edits, what it holds of the
/// engagement (its vector), and the servers it reaches.
struct SimulatedAssessor: Sendable {
    let index: Int
    let assignment: LoadBenchmark.Assignment
    let servers: [URL]
    let pauses: ClosedRange<UInt64>
    let recorder: LoadRecorder

    func run(until deadline: UInt64) async {
        let transports = servers.map { HTTPTransport(base: $0, token: assignment.token, timeout: 30) }
        var replica = Replica(author: assignment.assessor)
        var held = VersionVector()
        var round = 0
        // Start at random moments, so the syncs do not arrive in step.
        try? await Task.sleep(for: .milliseconds(UInt64.random(in: 0...pauses.upperBound)))
        while DispatchTime.now().uptimeNanoseconds < deadline {
            round += 1
            let began = DispatchTime.now().uptimeNanoseconds
            do {
                try await sync(round: round, replica: &replica, held: &held, transports: transports)
                recorder.sync(nanoseconds: DispatchTime.now().uptimeNanoseconds - began)
            } catch {
                recorder.error("\(error)")
            }
            // Never past the end, so the run lasts what was asked and throughput divides by it.
            let now = DispatchTime.now().uptimeNanoseconds
            let left = deadline > now ? (deadline - now) / 1_000_000 : 0
            try? await Task.sleep(for: .milliseconds(min(UInt64.random(in: pauses), left)))
        }
    }

    /// One sync: a few edits of a risk of this assessor's, signed, then what `fieldbook sync` sends.
    private func sync(round: Int, replica: inout Replica, held: inout VersionVector, transports: [HTTPTransport]) async throws {
        let engagement = "engagements/\(assignment.engagement)"
        _ = try await timed(.vector, transports) { try await $0.send("GET", "\(engagement)/vector") }
        let risk = EntityID(String(format: "0195%04d-0000-7000-8000-%012d", index, round))!
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        var changes = [try replica.write(.set(risk, .risk, field: "title", .text("Risk \(index)-\(round)")), now: now)]
        for _ in 0..<Int.random(in: 0...2) {
            changes.append(try replica.write(.set(risk, .risk, field: "likelihood", .integer(Int64.random(in: 1...5))), now: now))
        }
        for change in changes { held.insert(change.dot) }
        _ = try await timed(.push, transports) {
            try await $0.send("POST", "\(engagement)/changes", body: ChangeBatch(changes).encoded(), contentType: Wire.changesMediaType)
        }
        var after: Int64 = 0
        while true {
            let request = try JSONEncoder().encode(PullRequest(vector: held, after: after))
            let (data, _) = try await timed(.pull, transports) {
                try await $0.send("POST", "\(engagement)/pull", body: request, contentType: "application/json")
            }
            let page = try PullPage.decode(data)
            for change in page.changes { held.insert(change.dot) }
            guard let next = page.meta.next else { break }
            after = next
        }
    }

    /// Sends one request to any server and records how long it took.
    private func timed(_ kind: LoadRecorder.Kind, _ transports: [HTTPTransport],
                       _ request: (HTTPTransport) async throws -> (Data, Int)) async throws -> (Data, Int) {
        let began = DispatchTime.now().uptimeNanoseconds
        let answer = try await request(transports.randomElement()!)
        recorder.request(kind, nanoseconds: DispatchTime.now().uptimeNanoseconds - began)
        return answer
    }
}

/// Latencies and errors from every simulated assessor, summarised at the end.
final class LoadRecorder: @unchecked Sendable {
    enum Kind: String, CaseIterable { case vector, push, pull }
    private let lock = NSLock()
    private var requests: [Kind: [UInt64]] = [:]
    private var syncs: [UInt64] = []
    private var errors: [String] = []

    func request(_ kind: Kind, nanoseconds: UInt64) { lock.withLock { requests[kind, default: []].append(nanoseconds) } }
    func sync(nanoseconds: UInt64) { lock.withLock { syncs.append(nanoseconds) } }
    func error(_ message: String) { lock.withLock { errors.append(message) } }

    func report(seconds: Double) {
        lock.withLock {
            let all = requests.values.flatMap { $0 }
            print(String(format: "  %d syncs (%.1f a second), %d requests (%.1f a second), %d errors, in %.1f s",
                         syncs.count, Double(syncs.count) / seconds, all.count, Double(all.count) / seconds, errors.count, seconds))
            print("  requests, ms: \(Self.summary(all))")
            for kind in Kind.allCases { print("    \(kind.rawValue): \(Self.summary(requests[kind] ?? []))") }
            print("  whole syncs (vector, push, pull), ms: \(Self.summary(syncs))")
            var counted: [String: Int] = [:]
            for error in errors { counted[String(error.prefix(160)), default: 0] += 1 }
            for (message, count) in counted.sorted(by: { $0.value > $1.value }).prefix(5) { print("  error x\(count): \(message)") }
        }
    }

    static func summary(_ samples: [UInt64]) -> String {
        guard !samples.isEmpty else { return "none" }
        let sorted = samples.sorted()
        func at(_ share: Double) -> String { String(format: "%.1f", Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * share))]) / 1e6) }
        return "p50 \(at(0.50)), p90 \(at(0.90)), p99 \(at(0.99)), max \(at(1.0))"
    }
}

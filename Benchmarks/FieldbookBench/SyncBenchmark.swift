import FieldbookModel
import FieldbookReplica
import FieldbookStore
import FieldbookSync
import Foundation

/// N workspaces x M local edits each, all synced through one running server until every
/// workspace holds every change: wall time, changes per second, bytes on the wire.
/// `fieldbook-bench sync URL ENGAGEMENT TOKEN...` (Scripts/bench-sync.sh starts the server).
enum SyncBenchmark {
    static func run(_ arguments: [String]) async throws {
        guard arguments.count >= 3, let url = URL(string: arguments[0]) else {
            FileHandle.standardError.write(Data("usage: fieldbook-bench sync URL ENGAGEMENT TOKEN...\n".utf8))
            exit(1)
        }
        let engagement = EntityID(arguments[1])!
        let tokens = Array(arguments[2...])
        let edits = Int(ProcessInfo.processInfo.environment["EDITS"] ?? "") ?? 10_000
        defer { StoreBenchmark.cleanup() }

        var workspaces: [Workspace] = []
        for (index, _) in tokens.enumerated() {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fb-bench-sync-\(index)-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let workspace = try Workspace.create(at: WorkspaceLocation(root: folder), engagement: engagement,
                                                 assessor: "assessor-\(index)", engagementName: nil, scope: nil)
            var batch: [LocalEdit] = []
            for step in 0..<edits {
                let risk = EntityID(String(format: "0193f%03d-0000-7000-8000-%012d", index, step / 5))!
                switch step % 5 {
                case 0: batch.append(.set(risk, .risk, field: "title", .text("Risk \(index)-\(step / 5)")))
                case 1: batch.append(.set(risk, .risk, field: "likelihood", .integer(Int64(step % 5 + 1))))
                case 2: batch.append(.set(risk, .risk, field: "impact", .integer(3)))
                case 3: batch.append(.link(risk, .risk, field: "requirements", target: "iso42001:A.6.2.4"))
                default: batch.append(.set(risk, .risk, field: "status", .enumCase("open")))
                }
            }
            try workspace.write(batch)
            workspaces.append(workspace)
        }
        let total = tokens.count * edits
        print("sync: \(tokens.count) workspaces x \(edits) edits = \(total) changes, through \(url.absoluteString)")

        let transports = tokens.map { HTTPTransport(base: url, token: $0, timeout: 600) }
        let start = DispatchTime.now().uptimeNanoseconds
        var rounds = 0
        var converged = false
        while !converged && rounds < 5 {
            rounds += 1
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (workspace, transport) in zip(workspaces, transports) {
                    group.addTask { _ = try await SyncClient(workspace: workspace, transport: transport).sync() }
                }
                try await group.waitForAll()
            }
            converged = try workspaces.allSatisfy { try $0.summary().changes == total }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let sent = transports.reduce(0) { $0 + $1.traffic.sent }, received = transports.reduce(0) { $0 + $1.traffic.received }
        let requests = transports.reduce(0) { $0 + $1.traffic.requests }
        let transferred = total * tokens.count  // every change goes up once and down to every other workspace
        print(String(format: "  converged: %@ after %d rounds in %.2f s", converged ? "yes" : "NO", rounds, seconds))
        print(String(format: "  %.0f changes made per second of sync, %.0f changes moved per second", Double(total) / seconds, Double(transferred) / seconds))
        print("  bytes on the wire (bodies): \(sent) sent, \(received) received in \(requests) requests")
        print(String(format: "  per change moved (one push or one pull of one change): %.1f bytes; headers add about 200 bytes a request (%.2f per change)",
                     Double(sent + received) / Double(transferred), Double(requests * 200) / Double(transferred)))
        let sorted = JSONEncoder()
        sorted.outputFormatting = .sortedKeys
        let exports = try workspaces.map { try sorted.encode($0.export()) }
        print("  every workspace's export identical: \(Set(exports).count == 1)")
        if Set(exports).count != 1, let keep = ProcessInfo.processInfo.environment["KEEP_EXPORTS"] {
            for (index, data) in exports.enumerated() { try data.write(to: URL(fileURLWithPath: "\(keep)/export-\(index).json")) }
        }
    }
}

import FieldbookModel
import FieldbookReplica
import FieldbookStore
import FieldbookSync
import Foundation

/// Exporting and importing a bundle of 10k changes (the figure issue 6 asks for), and the
/// bundle's size per change.
enum BundleBenchmark {
    static func run() throws {
        defer { StoreBenchmark.cleanup() }
        let changes = Array(try ReplicaBenchmark.workload(sites: 10, perSite: 1_000))
        let sender = try StoreBenchmark.freshWorkspace("sender")
        _ = try sender.apply(remote: changes)
        let file = sender.location.root.appendingPathComponent("bench.fbbundle")
        var exported: BundleExchange.ExportSummary?
        let exportSeconds = try measure { exported = try BundleExchange(workspace: sender).export(to: file) }
        var timings: [Double] = []
        for round in 0..<3 {
            let receiver = try StoreBenchmark.freshWorkspace("receiver-\(round)")
            timings.append(try measure { _ = try BundleExchange(workspace: receiver).importBundle(file) })
        }
        let readSeconds = try measure { _ = try BundleReader(scratch: sender.location.scratch).read(file) }
        let receiver = try StoreBenchmark.freshWorkspace("again")
        _ = try BundleExchange(workspace: receiver).importBundle(file)
        let againSeconds = try measure { _ = try BundleExchange(workspace: receiver).importBundle(file) }
        let bytes = exported?.bytes ?? 0
        print("bundle: \(changes.count) changes from 10 sites")
        print(String(format: "  export: %.3f s, %d bytes (%.1f bytes/change)", exportSeconds, bytes, Double(bytes) / Double(changes.count)))
        print("  import into an empty workspace: " + timings.map { String(format: "%.3f s", $0) }.joined(separator: ", "))
        print(String(format: "  import again (nothing new): %.3f s", againSeconds))
        print(String(format: "  of which reading and verifying the file: %.3f s", readSeconds))
    }
}

import Foundation

/// `fieldbook-bench replica|store`: prints throughput figures for the closing notes.
@main
enum FieldbookBench {
    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst()
        switch arguments.first {
        case "replica": try ReplicaBenchmark.run()
        case "store": try StoreBenchmark.run()
        case "bundle": try BundleBenchmark.run()
        case "reports": try ReportBenchmark.run()
        case "sync": try await SyncBenchmark.run(Array(arguments.dropFirst()))
        case "load": try await LoadBenchmark.run(Array(arguments.dropFirst()))
        case "large-workspace" where arguments.count == 2: try LargeEngagement.make(at: arguments.last!)
        default:
            FileHandle.standardError.write(Data("usage: fieldbook-bench replica|store|bundle|sync|load|reports|large-workspace DIR\n".utf8))
            exit(1)
        }
    }
}

/// Wall time of a block, in seconds.
func measure(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

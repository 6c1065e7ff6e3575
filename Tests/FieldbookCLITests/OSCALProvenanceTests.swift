import Foundation
import Testing

/// Where the OSCAL export's statements come from, read back from what the real binary wrote:
/// times that are the content's.
@Suite struct OSCALProvenanceTests {
    @Test("two exports of one state at different times are byte-identical; last-modified and end are the newest change's time")
    func contentTimes() throws {
        let ws = try CLIWorkspace()
        try ws.ok("assess", "GV-1.1", "--result", "compliant")
        let before = Date()
        try ws.ok("assess", "A.6.2.4", "--result", "partially-compliant")
        let after = Date()
        let first = try OSCALDocument.export(ws, "first.json")
        Thread.sleep(forTimeInterval: 1.5)
        let second = try OSCALDocument.export(ws, "second.json")
        #expect(first.bytes == second.bytes, "the export's bytes follow the wall clock")

        let lastModified = try #require(first.metadata["last-modified"] as? String)
        #expect(first.result["end"] as? String == lastModified)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let stamp = try #require(formatter.date(from: lastModified), "\(lastModified)")
        #expect(stamp >= before.addingTimeInterval(-0.001) && stamp <= after, "\(lastModified) is not the time of the newest change")

        try ws.ok("assess", "GV-1.2", "--result", "non-compliant")
        let changed = try OSCALDocument.export(ws, "changed.json")
        #expect((changed.metadata["last-modified"] as? String ?? "") > lastModified)
        #expect(changed.metadata["version"] as? String != first.metadata["version"] as? String)
    }
}

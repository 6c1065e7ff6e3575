import FieldbookModel
import FieldbookReplica
import FieldbookSync
import Foundation

/// A bundle of `count` changes from another laptop, made with the merge core: large work to
/// import, sync or kill in the middle of, without typing it through the CLI.
public enum SyntheticBundle {
    public static func write(to file: URL, engagement: String, count: Int, author: String = "Remote assessor") throws {
        var replica = Replica(author: author)
        var now: UInt64 = 1_700_000_000_000
        let risks = (0..<500).map { EntityID(String(format: "0193d000-0000-7000-8000-%012d", $0))! }
        var changes: [Change] = []
        for index in 0..<count {
            now += 1
            let risk = risks[index % risks.count]
            let edit: LocalEdit = index % 3 == 0
                ? .set(risk, .risk, field: "title", .text("Risk \(index)"))
                : .set(risk, .risk, field: index % 3 == 1 ? "likelihood" : "impact", .integer(Int64(index % 5 + 1)))
            changes.append(try replica.write(edit, now: now))
        }
        let header = BundleHeader(format: BundleFormat.currentVersion, engagement: engagement, engagementName: nil,
                                  sender: .init(site: replica.site.text, assessor: replica.author), vector: replica.state.vector,
                                  base: VersionVector(), changeCount: changes.count, objectCount: 0)
        try BundleWriter().write(to: file, header: header, changes: changes, objects: [])
    }

    /// A bundle of exactly `edits`, written by another laptop's merge core, which checks the
    /// schema but none of the domain's rules: what an older or looser release could send.
    public static func write(to file: URL, engagement: String, edits: [LocalEdit], author: String = "Remote assessor") throws {
        var replica = Replica(author: author)
        var now: UInt64 = 1_700_000_000_000
        var changes: [Change] = []
        for edit in edits {
            now += 1
            changes.append(try replica.write(edit, now: now))
        }
        let header = BundleHeader(format: BundleFormat.currentVersion, engagement: engagement, engagementName: nil,
                                  sender: .init(site: replica.site.text, assessor: replica.author), vector: replica.state.vector,
                                  base: VersionVector(), changeCount: changes.count, objectCount: 0)
        try BundleWriter().write(to: file, header: header, changes: changes, objects: [])
    }
}

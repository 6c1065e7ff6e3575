import FieldbookModel
import FieldbookReplica
import FieldbookStore
@testable import FieldbookSync
import Foundation
import Testing

/// What a workspace sends to an earlier release: to a server of protocol 1 only what it reads
/// (each site's history up to the write holding the first change it would refuse), and bundles
/// in the lowest format their changes read in.
struct ProtocolCompatibilityTests {
    static let risk = EntityID("0193e000-0000-7000-8000-0000000000a1")!

    /// Three writes: a protocol-1 risk, a residual rating (protocol 2) beside its title, then a protocol-1 edit.
    static func workspace() throws -> Workspace {
        let workspace = try BundleRoundTripTests.workspace("mixed")
        try workspace.write([.set(risk, .risk, field: "title", .text("Bias")), .set(risk, .risk, field: "likelihood", .integer(4))])
        try workspace.write([.set(risk, .risk, field: "owner", .text("CRO")), .set(risk, .risk, field: "residual_likelihood", .integer(2))])
        try workspace.write([.set(risk, .risk, field: "impact", .integer(3))])
        return workspace
    }

    @Test("to a protocol-1 server go the writes before the first it cannot read, whole; that write and the site's later ones stay")
    func heldBackFromTheUnreadableWrite() throws {
        let workspace = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: workspace.location.root) }
        let changes = try workspace.exchange.changes(missingFrom: VersionVector())
        let own = changes.filter { $0.kind == .risk }
        let (sendable, heldBack) = SyncClient.readable(changes, by: .v1)
        #expect(sendable.filter { $0.kind == .risk }.map(\.field) == ["title", "likelihood"])
        #expect(heldBack.map(\.field) == ["owner", "residual_likelihood", "impact"])
        #expect(sendable.last { $0.dot.site == workspace.identity.site }?.signature.isEmpty == false, "the cut falls after a signed change")
        #expect(sendable.count + heldBack.count == changes.count && own.count == 5)
        // A server of this protocol takes everything.
        #expect(SyncClient.readable(changes, by: .current).heldBack.isEmpty)
    }

    @Test("a bundle of protocol-1 changes is written in format 1, one holding a later field in the current format")
    func bundleFormat() throws {
        let early = try BundleRoundTripTests.workspace("early")
        defer { try? FileManager.default.removeItem(at: early.location.root) }
        try early.write([.set(Self.risk, .risk, field: "title", .text("Bias"))])
        let late = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: late.location.root) }
        for (workspace, format) in [(early, UInt32(1)), (late, BundleFormat.currentVersion)] {
            let file = workspace.location.root.appendingPathComponent("out.fbbundle")
            _ = try BundleExchange(workspace: workspace).export(to: file)
            let bytes = try Data(contentsOf: file)
            #expect(bytes.subdata(in: 8..<12) == Data([0, 0, 0, UInt8(format)]))
            #expect(try BundleReader.header(of: file).format == format)
        }
    }
}

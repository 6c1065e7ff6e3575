import Crypto
import FieldbookCatalogs
import FieldbookModel
import FieldbookPackage
import FieldbookReplica
import FieldbookReports
import FieldbookStore
import Foundation
import ZIPFoundation

/// A workspace with a result and evidence files in a temporary folder, its package, and ways to
/// rewrite that package as someone tampering with it would. Removed when the test ends.
final class PackageFixture {
    let folder: URL
    let workspace: Workspace
    let package: URL

    init(evidence: [(name: String, bytes: Data)] = [("validation report.pdf", Data("CS-7 validation".utf8)),
                                                   ("policy.md", Data("# AI policy\n".utf8))]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("fb-package-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        workspace = try Workspace.create(at: WorkspaceLocation(root: folder.appendingPathComponent("ws")), engagement: EntityID(UUIDv7.make())!,
                                         assessor: "Ana Ruiz", engagementName: "Acme credit AI review", scope: nil)
        package = folder.appendingPathComponent("audit.zip")
        var result = EntityEdits<ResultField>(EntityID("result:iso42001:A.6.2.4")!)
        try result.set(.status, AssessmentStatus.partiallyCompliant)
        try workspace.domain.write(result)
        for file in evidence { try addEvidence(file.name, file.bytes) }
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func addEvidence(_ name: String, _ bytes: Data) throws {
        let source = folder.appendingPathComponent("source-\(UUID().uuidString)")
        try bytes.write(to: source)
        let stored = try workspace.objects.add(contentsOf: source)
        var edits = EntityEdits<EvidenceField>(EntityID(UUIDv7.make())!)
        try edits.set(.filename, name)
        try edits.set(.sha256, stored.sha256)
        try edits.set(.size, FieldValue.integer(stored.size))
        edits.link(.requirements, ["iso42001:A.6.2.4"])
        try workspace.domain.write(edits)
    }

    func data() throws -> ReportData { try ReportData.load(workspace, library: try CatalogLibrary.bundled()) }

    /// Writes the package (HTML reports only, so the test does not wait on Word rendering).
    @discardableResult
    func export(to url: URL? = nil) throws -> AuditPackage.ExportSummary {
        try AuditPackage.export(workspace, data: try data(), to: url ?? package, formats: [.html])
    }

    /// Every entry of a package, in archive order.
    static func entries(_ url: URL) throws -> [(path: String, bytes: Data)] {
        let archive = try Archive(url: url, accessMode: .read)
        return try archive.map { entry in
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            return (entry.path, bytes)
        }
    }

    /// A copy of the package with its entries rewritten: `transform` returns new bytes, or nil to drop the entry.
    func tampered(_ transform: (String, Data) -> Data?, adding extra: [(String, Data)] = []) throws -> URL {
        let url = folder.appendingPathComponent("tampered-\(UUID().uuidString).zip")
        let archive = try Archive(url: url, accessMode: .create)
        for (path, bytes) in try Self.entries(package) + extra {
            guard let replaced = transform(path, bytes) else { continue }
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(replaced.count), compressionMethod: .deflate) { position, size in
                replaced.subdata(in: Int(position) ..< Int(position) + size)
            }
        }
        return url
    }

    /// The package's manifest as JSON, edited, and signed again with `key`, which the manifest then names.
    func resigned(with key: Curve25519.Signing.PrivateKey, editing edit: (inout [String: Any]) -> Void = { _ in },
                  files replace: [String: Data] = [:]) throws -> URL {
        let original = try Self.entries(package)
        var manifest = try JSONSerialization.jsonObject(with: original.first { $0.path == "manifest.json" }!.bytes) as! [String: Any]
        var files = manifest["files"] as! [[String: Any]]
        for index in files.indices {
            guard let bytes = replace[files[index]["path"] as! String] else { continue }
            files[index]["sha256"] = Hex.string(SHA256.hash(data: bytes))
            files[index]["size"] = bytes.count
        }
        manifest["files"] = files
        var signer = manifest["signer"] as! [String: Any]
        let publicKey = key.publicKey.rawRepresentation
        signer["public_key"] = publicKey.base64EncodedString()
        signer["site"] = SiteID(publicKey: publicKey).text
        manifest["signer"] = signer
        edit(&manifest)
        let bytes = try JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys, .prettyPrinted])
        let signature = Data(try key.signature(for: bytes).base64EncodedString().utf8)
        return try tampered { path, old in
            switch path {
            case "manifest.json": bytes
            case "manifest.sig": signature
            default: replace[path] ?? old
            }
        }
    }
}

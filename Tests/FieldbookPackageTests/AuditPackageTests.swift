import Crypto
import FieldbookCatalogs
import FieldbookModel
import FieldbookPackage
import FieldbookReplica
import FieldbookReports
import FieldbookStore
import Foundation
import Testing

/// The audit package written from a real workspace, verified, then tampered with every way
/// the issue names: each must fail naming the right file and reason.
struct AuditPackageTests {
    typealias Reason = PackageVerification.Reason

    static func expectDifference(_ url: URL, _ path: String, _ reason: Reason, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try AuditPackage.verify(url)
        #expect(!result.ok, sourceLocation: sourceLocation)
        #expect(result.firstDifference?.path == path, "\(String(describing: result.firstDifference))", sourceLocation: sourceLocation)
        #expect(result.firstDifference?.reason == reason, "\(String(describing: result.firstDifference))", sourceLocation: sourceLocation)
        if let message = result.firstDifference?.message {
            #expect(message.contains(path) && message.hasSuffix(".") && !message.dropLast().contains(". "), "\(message)", sourceLocation: sourceLocation)
        }
    }

    @Test("a package holds every report, OSCAL, the evidence by name and the history, and verifies")
    func writesAndVerifies() throws {
        let fixture = try PackageFixture()
        let summary = try fixture.export()
        let entries = try PackageFixture.entries(fixture.package)
        let paths = Set(entries.map(\.path))
        #expect(entries.first?.path == "manifest.json")
        for report in ["gap-nist-ai-rmf", "gap-iso42001", "risks", "soa", "progress", "findings"] {
            #expect(paths.contains("reports/\(report).html"), "\(report)")
        }
        #expect(paths.isSuperset(of: ["oscal/assessment-results.json", "history/engagement.fbbundle", "manifest.sig",
                                      "evidence/validation report.pdf", "evidence/policy.md"]))
        #expect(summary.files == entries.count - 2 && summary.reports == 6 && summary.evidenceFiles == 2)

        let manifest = try JSONDecoder().decode(PackageManifest.self, from: entries.first { $0.path == "manifest.json" }!.bytes)
        #expect(manifest.format == "fieldbook-audit-package" && manifest.formatVersion == 1)
        #expect(manifest.engagement.name == "Acme credit AI review")
        #expect(manifest.documentVersion == (try fixture.data()).document.version)
        #expect(manifest.signer.publicKey == fixture.workspace.signer.publicKey.base64EncodedString())
        #expect(manifest.signer.site == fixture.workspace.identity.site.text && manifest.signer.assessor == "Ana Ruiz")
        #expect(manifest.files.map(\.path) == manifest.files.map(\.path).sorted())
        for entry in entries where entry.path != "manifest.json" && entry.path != "manifest.sig" {
            let line = try #require(manifest.files.first { $0.path == entry.path }, "\(entry.path) not listed")
            #expect(line.sha256 == Hex.string(SHA256.hash(data: entry.bytes)) && line.size == Int64(entry.bytes.count))
        }
        let evidence = try #require(manifest.files.first { $0.path == "evidence/policy.md" })
        #expect(evidence.evidenceID != nil && evidence.sha256 == Hex.string(SHA256.hash(data: Data("# AI policy\n".utf8))))

        let result = try AuditPackage.verify(fixture.package)
        #expect(result.ok, "\(String(describing: result.firstDifference))")
        #expect(result.files == manifest.files.count)
        #expect(result.signer == manifest.signer && result.version == manifest.documentVersion)
        // Nothing is left beside the package.
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.folder.path).filter { $0.hasPrefix(".") }.isEmpty)
    }

    @Test("one byte changed in an evidence file is named")
    func changedEvidence() throws {
        let fixture = try PackageFixture()
        try fixture.export()
        let url = try fixture.tampered { path, bytes in
            path == "evidence/policy.md" ? Data([bytes[0] ^ 1]) + bytes.dropFirst() : bytes
        }
        try Self.expectDifference(url, "evidence/policy.md", .changed)
    }

    @Test("a removed file and an added one are named")
    func removedAndAdded() throws {
        let fixture = try PackageFixture()
        try fixture.export()
        try Self.expectDifference(try fixture.tampered { path, bytes in path == "reports/soa.html" ? nil : bytes },
                                  "reports/soa.html", .missing)
        try Self.expectDifference(try fixture.tampered({ _, bytes in bytes }, adding: [("evidence/extra.pdf", Data("planted".utf8))]),
                                  "evidence/extra.pdf", .added)
        try Self.expectDifference(try fixture.tampered { path, bytes in path == "manifest.sig" ? nil : bytes }, "manifest.sig", .missing)
    }

    @Test("an altered manifest fails its signature")
    func alteredManifest() throws {
        let fixture = try PackageFixture()
        try fixture.export()
        let url = try fixture.tampered { path, bytes in
            guard path == "manifest.json" else { return bytes }
            return Data(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "Acme credit", with: "Acme debit").utf8)
        }
        try Self.expectDifference(url, "manifest.json", .signature)
        let garbled = try fixture.tampered { path, bytes in path == "manifest.json" ? bytes.dropLast(5) : bytes }
        try Self.expectDifference(garbled, "manifest.json", .manifest)
    }

    @Test("a package altered and signed again with another key names the signature: that key is not bound by the history")
    func resignedWithAnotherKey() throws {
        let fixture = try PackageFixture()
        try fixture.export()
        let forged = Data("a better validation report".utf8)
        let key = Curve25519.Signing.PrivateKey()
        try Self.expectDifference(try fixture.resigned(with: key, files: ["evidence/validation report.pdf": forged]),
                                  "manifest.sig", .unboundSigner)
        // Claiming the real site with another key does not help either.
        let site = fixture.workspace.identity.site.text
        try Self.expectDifference(try fixture.resigned(with: key) { $0["signer"] = ["assessor": "Ana Ruiz", "site": site,
                                                                                     "public_key": key.publicKey.rawRepresentation.base64EncodedString()] },
                                  "manifest.sig", .unboundSigner)
    }

    @Test("the signer's real key under another assessor's name is refused; another version than the history's is named")
    func signerAndVersionHeldToHistory() throws {
        let fixture = try PackageFixture()
        try fixture.export()
        let raw = try Curve25519.Signing.PrivateKey(rawRepresentation: fixture.workspace.signer.rawRepresentation)
        try Self.expectDifference(try fixture.resigned(with: raw) { manifest in
            var signer = manifest["signer"] as! [String: Any]
            signer["assessor"] = "Ben Okafor"
            manifest["signer"] = signer
        }, "manifest.sig", .unboundSigner)
        try Self.expectDifference(try fixture.resigned(with: raw) { $0["document_version"] = "1.deadbeef" }, "manifest.json", .manifest)
    }

    @Test("hostile entries: a path leaving the folder, an absolute path, a duplicate differing in case, an oversized entry")
    func hostileEntries() throws {
        let fixture = try PackageFixture()
        try fixture.export()
        let keep: (String, Data) -> Data? = { _, bytes in bytes }
        try Self.expectDifference(try fixture.tampered(keep, adding: [("../outside.txt", Data("x".utf8))]), "../outside.txt", .unsafePath)
        try Self.expectDifference(try fixture.tampered(keep, adding: [("/etc/cron.d/x", Data("x".utf8))]), "/etc/cron.d/x", .unsafePath)
        try Self.expectDifference(try fixture.tampered(keep, adding: [("evidence/Policy.MD", Data("x".utf8))]), "evidence/Policy.MD", .duplicate)
        try Self.expectDifference(try fixture.tampered(keep, adding: [("manifest.json", Data("{}".utf8))]), "manifest.json", .duplicate)
        // 64 MiB of zeros deflate to a few hundred KiB; reading stops at the listed size.
        let bomb = Data(count: 64 << 20)
        let started = Date()
        try Self.expectDifference(try fixture.tampered { path, bytes in path == "evidence/policy.md" ? bomb : bytes },
                                  "evidence/policy.md", .changed)
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test("not a ZIP, no manifest, no file: errors, not differences")
    func notAPackage() throws {
        let fixture = try PackageFixture()
        let text = fixture.folder.appendingPathComponent("notes.zip")
        try Data("just text".utf8).write(to: text)
        #expect(throws: PackageError.notAPackage(text.path, "it is not a ZIP archive")) { try AuditPackage.verify(text) }
        let missing = fixture.folder.appendingPathComponent("nowhere.zip")
        #expect(throws: PackageError.notFound(missing.path)) { try AuditPackage.verify(missing) }
        try fixture.export()
        let bare = try fixture.tampered { path, bytes in path == "manifest.json" ? nil : bytes }
        #expect(throws: PackageError.noManifest(bare.path)) { try AuditPackage.verify(bare) }
    }

    @Test("evidence names are made safe and unique; evidence missing here refuses the export and leaves the old file")
    func evidenceNamesAndMissingBytes() throws {
        let fixture = try PackageFixture(evidence: [("report.pdf", Data("one".utf8)), ("Report.PDF", Data("two".utf8)),
                                                    ("../../etc/passwd", Data("three".utf8)), ("CON.txt", Data("four".utf8))])
        try fixture.export()
        let paths = Set(try PackageFixture.entries(fixture.package).map(\.path).filter { $0.hasPrefix("evidence/") })
        #expect(paths == ["evidence/Report.PDF", "evidence/report (2).pdf", "evidence/passwd", "evidence/_CON.txt"])
        #expect(try AuditPackage.verify(fixture.package).ok)

        let before = try Data(contentsOf: fixture.package)
        let sha = Hex.string(SHA256.hash(data: Data("two".utf8)))
        try FileManager.default.removeItem(at: fixture.workspace.objects.path(for: sha))
        #expect(throws: PackageError.evidenceUnavailable("Report.PDF", "missing")) { try fixture.export() }
        #expect(try Data(contentsOf: fixture.package) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.folder.path).filter { $0.hasPrefix(".") }.isEmpty)
    }

    @Test("a workspace that has written nothing cannot sign: no history binds its key")
    func nothingWritten() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fb-package-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = try Workspace.create(at: WorkspaceLocation(root: folder), engagement: EntityID(UUIDv7.make())!,
                                             assessor: "Ana", engagementName: nil, scope: nil)
        let data = try ReportData.load(workspace, library: try CatalogLibrary.bundled())
        #expect(throws: PackageError.signerNotInHistory("Ana")) {
            try AuditPackage.export(workspace, data: data, to: folder.appendingPathComponent("audit.zip"), formats: [.html])
        }
    }

    @Test("the workspace changing after its reports were made refuses the export as a changed state, not a disk failure")
    func workspaceChangedDuringExport() throws {
        let fixture = try PackageFixture()
        let stale = try fixture.data()
        var result = EntityEdits<ResultField>(EntityID("result:iso42001:A.6.2.4")!)
        try result.set(.status, AssessmentStatus.compliant)
        try fixture.workspace.domain.write(result)
        #expect {
            try AuditPackage.export(fixture.workspace, data: stale, to: fixture.package, formats: [.html])
        } throws: { error in
            guard case .workspaceChanged(let what)? = error as? PackageError else { return false }
            let sentence = String(describing: error)
            return what.contains(stale.document.version) && sentence.contains("export again") && !sentence.contains("could not be written")
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.package.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.folder.path).filter { $0.hasPrefix(".") }.isEmpty)
    }

    /// The offset of the ZIP header (`signature`) whose name, `nameAt` bytes in, is `name`.
    static func header(in bytes: [UInt8], signature: UInt32, nameAt: Int, lengthAt: Int, name: String) -> Int? {
        let needle = Array(name.utf8)
        let sig = (0..<4).map { UInt8(truncatingIfNeeded: signature >> (8 * $0)) }
        return (0..<(bytes.count - nameAt - needle.count)).first { start in
            Array(bytes[start ..< start + 4]) == sig
                && Int(bytes[start + lengthAt]) | Int(bytes[start + lengthAt + 1]) << 8 == needle.count
                && Array(bytes[start + nameAt ..< start + nameAt + needle.count]) == needle
        }
    }

    @Test("one byte flipped in a CRC-32 the ZIP stores (central directory or local header) is named as changed")
    func storedChecksumFlipped() throws {
        let fixture = try PackageFixture()
        try fixture.export()
        let bytes = [UInt8](try Data(contentsOf: fixture.package))
        for path in ["reports/risks.html", "evidence/policy.md", "history/engagement.fbbundle", "manifest.json", "manifest.sig"] {
            // Central directory record: name at 46, CRC at 16 (name length at 28); local header: name at 30, CRC at 14 (name length at 26).
            for (signature, nameAt, lengthAt, crcAt) in [(UInt32(0x0201_4B50), 46, 28, 16), (UInt32(0x0403_4B50), 30, 26, 14)] {
                let start = try #require(Self.header(in: bytes, signature: signature, nameAt: nameAt, lengthAt: lengthAt, name: path), "\(path)")
                if signature == 0x0403_4B50 { #expect(bytes[start + 6] & 0x8 == 0, "\(path): the local header defers its CRC") }
                var flipped = bytes
                flipped[start + crcAt + 1] ^= 0x01
                let url = fixture.folder.appendingPathComponent("crc-\(UUID().uuidString).zip")
                try Data(flipped).write(to: url)
                try Self.expectDifference(url, path, .changed)
            }
        }
        #expect(try AuditPackage.verify(fixture.package).ok)
    }

    @Test("text from a package loses its control and bidi characters before it is printed")
    func printableText() {
        let hostile = "Ana\u{1B}[2J\u{7}\tRuiz\n\u{7F}\u{9B}31m\u{202E}gnp.exe\u{2066}x\u{2069}"
        let safe = PrintableText.safe(hostile)
        #expect(safe == "Ana\u{FFFD}[2J\u{FFFD}\u{FFFD}Ruiz\u{FFFD}\u{FFFD}\u{FFFD}31m\u{FFFD}gnp.exe\u{FFFD}x\u{FFFD}")
        #expect(PrintableText.safe("Ana Ruiz, Zoë Ødegård, 李雷, عربي") == "Ana Ruiz, Zoë Ødegård, 李雷, عربي")
    }
}


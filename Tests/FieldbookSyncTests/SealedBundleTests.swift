import Crypto
import FieldbookModel
import FieldbookReplica
import FieldbookStore
@testable import FieldbookSync
import Foundation
import Testing

/// The sealed format (docs/bundle-format.md, "Sealed bundles"): round trips for one and several
/// recipients, refusal for anyone else, and every kind of damage refused with nothing written.
/// Identities are temporary files, never the user's own.
struct SealedBundleTests {
    /// A folder with identity files and a workspace whose bundle spans several chunks.
    final class Scene {
        let folder: URL
        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("fb-sealed-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: folder) }

        func identity(_ name: String) throws -> (file: IdentityFile, identity: Identity) {
            let file = IdentityFile(url: folder.appendingPathComponent("identity-\(name)"))
            return (file, try file.loadOrCreate())
        }

        func workspace(_ name: String) throws -> Workspace {
            try BundleRoundTripTests.workspace(name)
        }

        /// A sender whose full bundle holds a few changes and one 200 KB evidence file: four chunks.
        func sender() throws -> Workspace {
            let sender = try workspace("sender")
            let source = sender.location.root.appendingPathComponent("interview.bin")
            try Data((0 ..< 200_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 9) }).write(to: source)
            let stored = try sender.objects.add(contentsOf: source)
            let evidence = EntityID("0193e000-0000-7000-8000-0000000000e1")!
            try sender.write([.set(evidence, .evidence, field: "filename", .text("interview.bin")),
                              .set(evidence, .evidence, field: "sha256", .text(stored.sha256)),
                              .link(evidence, .evidence, field: "requirements", target: "iso42001:A.6.2.8")])
            return sender
        }

        func file(_ name: String) -> URL { folder.appendingPathComponent(name) }
    }

    /// Seals `plaintext` through `SealedOutput`, written in pieces of `piece` bytes.
    static func seal(_ plaintext: Data, for recipients: [Recipient], to file: URL, piece: Int = 10_000) throws {
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        let output = try SealedOutput(handle: handle, recipients: recipients)
        var start = 0
        while start < plaintext.count {
            try output.write(plaintext.subdata(in: start ..< min(plaintext.count, start + piece)))
            start += piece
        }
        try output.finish()
    }

    /// Everything `BundleInputs` yields from `file`.
    static func unseal(_ file: URL, with identity: IdentityFile?) throws -> Data {
        let input = try BundleInputs.open(file, identity: identity)
        defer { input.close() }
        var data = Data()
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { data.append(chunk) }
        return data
    }

    /// The sealed header's size for `recipients`: preamble, stanzas, checksum, MAC, salt.
    static func headerSize(recipients: Int) -> Int { 14 + recipients * SealedFormat.stanzaSize + 32 + 32 + SealedFormat.saltSize }

    /// Statuses the CLI maps to exit 1: damage of any kind, never "not for you".
    static func isDamage(_ error: any Error) -> Bool {
        guard let error = error as? BundleError else { return false }
        switch error {
        case .truncated, .corrupted, .integrityMismatch, .notABundle, .newerFormat: return true
        default: return false
        }
    }

    @Test("the payload round-trips at every size around a chunk boundary, the empty one included")
    func formatRoundTrip() throws {
        let scene = try Scene()
        let ana = try scene.identity("ana"), bo = try scene.identity("bo")
        let chunk = SealedFormat.chunkSize
        for size in [0, 1, 15, 16, 17, chunk - 1, chunk, chunk + 1, 2 * chunk, 3 * chunk + 5] {
            let plaintext = Data((0 ..< size).map { UInt8(truncatingIfNeeded: $0 &* 13) })
            for piece in [1_000, chunk, 3 * chunk] {
                let file = scene.file("payload-\(size)-\(piece)")
                try Self.seal(plaintext, for: [ana.identity.recipient, bo.identity.recipient], to: file, piece: piece)
                let chunks = max(1, (size + chunk - 1) / chunk)
                let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
                #expect((attributes[.size] as? NSNumber)?.intValue == Self.headerSize(recipients: 2) + size + chunks * SealedFormat.tagSize,
                        "size \(size)")
                #expect(try Self.unseal(file, with: ana.file) == plaintext, "size \(size), piece \(piece)")
                #expect(try Self.unseal(file, with: bo.file) == plaintext, "size \(size), piece \(piece)")
            }
        }
    }

    @Test("a bundle sealed for one recipient imports there and in the sender's own workspace; its bytes hide the engagement")
    func oneRecipient() throws {
        let scene = try Scene()
        let ana = try scene.identity("ana"), bo = try scene.identity("bo")
        let sender = try scene.sender()
        defer { try? FileManager.default.removeItem(at: sender.location.root) }
        let file = scene.file("one.fbsealed")
        let summary = try BundleExchange(workspace: sender, identity: ana.file).export(to: file, sealedFor: [bo.identity.recipient])
        #expect(summary.sealedFor == [bo.identity.recipient.description, ana.identity.recipient.description])
        let bytes = try Data(contentsOf: file)
        #expect(bytes.prefix(8) == Data("FBSEALED".utf8))
        for clear in ["round-trip", "Round trip", "interview.bin", "FBBUNDLE"] {
            #expect(bytes.range(of: Data(clear.utf8)) == nil, "'\(clear)' is readable in the sealed file")
        }
        #expect(try BundleReader.header(of: file, identity: bo.file).engagement == "round-trip")

        let receiver = try scene.workspace("receiver")
        defer { try? FileManager.default.removeItem(at: receiver.location.root) }
        let imported = try BundleExchange(workspace: receiver, identity: bo.file).importBundle(file)
        #expect(imported.newChanges == summary.changes && imported.newEvidenceFiles == 1)
        #expect(try receiver.record(EntityID("0193e000-0000-7000-8000-0000000000e1")!)?.requirements == ["iso42001:A.6.2.8"])
        #expect(try BundleExchange(workspace: sender, identity: ana.file).importBundle(file).nothingNew)
        #expect(try FileManager.default.contentsOfDirectory(atPath: receiver.location.scratch.path).isEmpty)
    }

    @Test("a bundle sealed for several recipients opens for each, and is refused for a third identity with nothing written")
    func severalRecipients() throws {
        let scene = try Scene()
        let ana = try scene.identity("ana"), bo = try scene.identity("bo"), cy = try scene.identity("cy"), dee = try scene.identity("dee")
        let sender = try scene.sender()
        defer { try? FileManager.default.removeItem(at: sender.location.root) }
        let file = scene.file("several.fbsealed")
        // A recipient given twice, and the sender given too, is sealed for once.
        let summary = try BundleExchange(workspace: sender, identity: ana.file)
            .export(to: file, sealedFor: [bo.identity.recipient, cy.identity.recipient, bo.identity.recipient, ana.identity.recipient])
        #expect(summary.sealedFor.count == 3)
        for reader in [bo, cy] {
            let receiver = try scene.workspace("receiver")
            defer { try? FileManager.default.removeItem(at: receiver.location.root) }
            #expect(try BundleExchange(workspace: receiver, identity: reader.file).importBundle(file).newEvidenceFiles == 1)
        }
        let outsider = try scene.workspace("outsider")
        defer { try? FileManager.default.removeItem(at: outsider.location.root) }
        let before = try outsider.exchange.changes(missingFrom: VersionVector()).count
        #expect(throws: BundleError.sealedForOthers(recipients: 3, recipient: dee.identity.recipient.description)) {
            try BundleExchange(workspace: outsider, identity: dee.file).importBundle(file)
        }
        #expect(throws: BundleError.noIdentity(recipients: 3, path: scene.file("nobody").path)) {
            try BundleExchange(workspace: outsider, identity: IdentityFile(url: scene.file("nobody"))).importBundle(file)
        }
        #expect(throws: BundleError.noIdentity(recipients: 3, path: nil)) { try BundleReader.header(of: file) }
        #expect(!FileManager.default.fileExists(atPath: scene.file("nobody").path), "reading never makes an identity")
        #expect(try outsider.exchange.changes(missingFrom: VersionVector()).count == before)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: outsider.location.scratch.path))?.isEmpty ?? true)
    }

    /// A sealed bundle of the sender's workspace for Bo, its reader, and what to check after each refusal.
    struct Damage {
        let scene: Scene
        let bo: (file: IdentityFile, identity: Identity)
        let good: Data
        let receiver: Workspace
        /// The receiver's own changes (its engagement) before any import.
        let baseline: Int

        init() throws {
            scene = try Scene()
            let ana = try scene.identity("ana")
            bo = try scene.identity("bo")
            let sender = try scene.sender()
            defer { try? FileManager.default.removeItem(at: sender.location.root) }
            let file = scene.file("good.fbsealed")
            _ = try BundleExchange(workspace: sender, identity: ana.file).export(to: file, sealedFor: [bo.identity.recipient])
            good = try Data(contentsOf: file)
            receiver = try scene.workspace("receiver")
            baseline = try receiver.exchange.changes(missingFrom: VersionVector()).count
        }

        var chunks: Int { (good.count - SealedBundleTests.headerSize(recipients: 2) + SealedFormat.sealedChunkSize - 1) / SealedFormat.sealedChunkSize }
        func chunkStart(_ index: Int) -> Int { SealedBundleTests.headerSize(recipients: 2) + index * SealedFormat.sealedChunkSize }

        /// Imports `bytes`; returns the error, after checking that nothing was written.
        func refusal(_ bytes: Data, _ what: String) throws -> (any Error)? {
            let file = scene.file("variant-\(UUID().uuidString)")
            try bytes.write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            var caught: (any Error)?
            do { _ = try BundleExchange(workspace: receiver, identity: bo.file).importBundle(file) } catch { caught = error }
            #expect(caught != nil, "\(what) was accepted")
            #expect(try receiver.exchange.changes(missingFrom: VersionVector()).count == baseline, "\(what) wrote changes")
            #expect((try? FileManager.default.contentsOfDirectory(atPath: receiver.location.scratch.path))?.isEmpty ?? true, "\(what) left scratch files")
            return caught
        }
    }

    @Test("a flipped byte anywhere in the header or key block is refused as damage, never as 'not for you'")
    func flippedHeaderByte() throws {
        let damage = try Damage()
        defer { try? FileManager.default.removeItem(at: damage.receiver.location.root) }
        #expect(damage.chunks >= 4)
        for offset in 0 ..< Self.headerSize(recipients: 2) {
            var bytes = damage.good
            bytes[offset] ^= 0x20
            let error = try damage.refusal(bytes, "a flip at byte \(offset)")
            #expect(error.map(Self.isDamage) == true, "byte \(offset): \(String(describing: error))")
        }
    }

    @Test("a flipped byte in each chunk (first, middle and last byte, tag included) is refused")
    func flippedChunkByte() throws {
        let damage = try Damage()
        defer { try? FileManager.default.removeItem(at: damage.receiver.location.root) }
        for chunk in 0 ..< damage.chunks {
            let start = damage.chunkStart(chunk), end = min(damage.good.count, damage.chunkStart(chunk + 1))
            for offset in [start, (start + end) / 2, end - SealedFormat.tagSize, end - 1] {
                var bytes = damage.good
                bytes[offset] ^= 0x01
                let error = try damage.refusal(bytes, "a flip in chunk \(chunk) at \(offset)")
                #expect(error as? BundleError == .integrityMismatch, "chunk \(chunk), byte \(offset): \(String(describing: error))")
            }
        }
    }

    @Test("a bundle cut at every chunk boundary, inside the header or inside a chunk is refused")
    func truncated() throws {
        let damage = try Damage()
        defer { try? FileManager.default.removeItem(at: damage.receiver.location.root) }
        for chunk in 0 ..< damage.chunks {
            let error = try damage.refusal(damage.good.prefix(damage.chunkStart(chunk)), "cut before chunk \(chunk)")
            #expect(error as? BundleError == .truncated, "cut before chunk \(chunk): \(String(describing: error))")
        }
        for length in [0, 8, 13, 100, Self.headerSize(recipients: 2) - 1, damage.chunkStart(1) + 100, damage.good.count - 1] {
            let error = try damage.refusal(damage.good.prefix(length), "cut at \(length)")
            #expect(error.map(Self.isDamage) == true, "cut at \(length): \(String(describing: error))")
        }
    }

    @Test("swapped, repeated, dropped or foreign chunks, and bytes after the last chunk, are refused")
    func chunkSwaps() throws {
        let damage = try Damage()
        defer { try? FileManager.default.removeItem(at: damage.receiver.location.root) }
        let header = damage.good.prefix(damage.chunkStart(0))
        let chunks = (0 ..< damage.chunks).map { damage.good.subdata(in: damage.chunkStart($0) ..< min(damage.good.count, damage.chunkStart($0 + 1))) }
        var variants: [(String, [Data])] = [
            ("chunks 0 and 1 swapped", [chunks[1], chunks[0]] + chunks[2...]),
            ("chunks 1 and 2 swapped", [chunks[0], chunks[2], chunks[1]] + chunks[3...]),
            ("chunk 1 dropped", [chunks[0]] + chunks[2...]),
            ("chunk 1 repeated", [chunks[0], chunks[1]] + chunks[1...]),
            ("the last chunk first", [chunks.last!] + chunks.dropLast()),
        ]
        // The same bundle sealed again has another file key: its chunks are foreign here.
        let again = try Damage()
        defer { try? FileManager.default.removeItem(at: again.receiver.location.root) }
        variants.append(("chunk 1 from another sealing", [chunks[0], again.good.subdata(in: again.chunkStart(1) ..< again.chunkStart(2))] + chunks[2...]))
        for (what, body) in variants {
            let error = try damage.refusal(header + body.reduce(Data(), +), what)
            #expect(error as? BundleError == .integrityMismatch, "\(what): \(String(describing: error))")
        }
        let error = try damage.refusal(damage.good + Data([0]), "a byte after the last chunk")
        #expect(error.map(Self.isDamage) == true, "\(String(describing: error))")
    }

    @Test("random damage (bits flipped, bytes cut, inserted or repeated anywhere) is always refused, never a crash")
    func randomDamage() throws {
        let damage = try Damage()
        defer { try? FileManager.default.removeItem(at: damage.receiver.location.root) }
        let cases = ProcessInfo.processInfo.environment["FIELDBOOK_PROPERTY_CASES"].flatMap(Int.init) ?? 300
        for index in 0 ..< cases {
            var bytes = damage.good
            let at = Int.random(in: 0 ..< bytes.count), value = UInt8.random(in: 1 ... .max), back = Int.random(in: 1 ... 200)
            // Each case names its damage, so a failure is reproduced from its message.
            let what: String
            switch index % 4 {
            case 0: bytes[at] ^= value; what = "byte \(at) xor \(value)"
            case 1: bytes = bytes.prefix(at); what = "cut at \(at)"
            case 2: bytes.insert(value, at: at); what = "\(value) inserted at \(at)"
            default: bytes = bytes.prefix(at) + bytes.suffix(from: max(0, at - back)); what = "\(back) bytes before \(at) repeated"
            }
            let error = try damage.refusal(bytes, what)
            #expect(error.map(Self.isDamage) == true || error as? BundleError == .sealedForOthers(recipients: 2, recipient: damage.bo.identity.recipient.description),
                    "\(what): \(String(describing: error))")
        }
    }

    @Test("an empty payload and a bundle with no changes seal and open")
    func empty() throws {
        let scene = try Scene()
        let ana = try scene.identity("ana"), bo = try scene.identity("bo")
        let file = scene.file("empty")
        try Self.seal(Data(), for: [bo.identity.recipient], to: file)
        #expect(try Self.unseal(file, with: bo.file).isEmpty)
        // A sealed bundle of nothing new: everything the receiver holds already.
        let sender = try scene.workspace("sender")
        defer { try? FileManager.default.removeItem(at: sender.location.root) }
        let bundle = scene.file("nothing.fbsealed")
        let summary = try BundleExchange(workspace: sender, identity: ana.file)
            .export(to: bundle, since: try sender.versionVector(), sealedFor: [bo.identity.recipient])
        #expect(summary.changes == 0 && summary.evidenceFiles == 0)
        #expect(try BundleExchange(workspace: sender, identity: bo.file).importBundle(bundle).nothingNew)
    }
}

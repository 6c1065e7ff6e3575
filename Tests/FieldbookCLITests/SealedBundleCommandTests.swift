import Foundation
import Testing

/// Sealed bundles through the real binary: `identity`, `bundle export --recipient`, import and
/// clone by a recipient, and refusal (exit 5, nothing written) for anyone else. Every user has
/// an identity file in a temporary folder (FIELDBOOK_IDENTITY), never the real home folder.
struct SealedBundleCommandTests {
    /// One assessor: a folder to work in and an identity of their own.
    final class Assessor {
        let folder: URL
        let identityFile: URL
        let fieldbook: FieldbookProcess

        init(_ name: String, in root: URL) throws {
            folder = root.appendingPathComponent(name)
            identityFile = root.appendingPathComponent("identities/\(name)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            fieldbook = FieldbookProcess(workingDirectory: folder, environment: [
                "FIELDBOOK_IDENTITY": identityFile.path,
                // Should anything ignore FIELDBOOK_IDENTITY, it lands here, not in the real home.
                "XDG_CONFIG_HOME": root.appendingPathComponent("config-\(name)").path,
                "HOME": root.appendingPathComponent("home-\(name)").path,
            ])
        }

        @discardableResult
        func run(_ arguments: String...) throws -> FieldbookProcess.Outcome { try fieldbook.run(arguments) }

        var recipient: String {
            get throws { try run("identity").stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
        }

        func export() throws -> String { try run("export", "--json").stdout }

        /// Every path in the folder with its size, SQLite's files aside (the export stands for them).
        func files() throws -> [String] {
            try (FileManager.default.subpathsOfDirectory(atPath: folder.path)).filter { !$0.contains("fieldbook.sqlite") }.sorted().map { path in
                "\(path) \((try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(path).path)[.size] as? NSNumber)?.intValue ?? -1)"
            }
        }
    }

    final class Scene {
        let root: URL
        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("fb-sealed-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: root) }

        /// Ana's workspace with a result, a risk and a 200 KB evidence file (a sealed bundle of several chunks).
        func ana() throws -> Assessor {
            let ana = try Assessor("ana", in: root)
            #expect(try ana.run("init", "--engagement", "Confidential client", "--assessor", "Ana", "--id", "sealed-engagement").status == 0)
            try ana.run("assess", "GV-1.1", "--result", "compliant", "--maturity", "3")
            try ana.run("risk", "add", "Model drift", "--likelihood", "3", "--impact", "4")
            try Data((0 ..< 200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: ana.folder.appendingPathComponent("minutes.bin"))
            #expect(try ana.run("evidence", "add", "minutes.bin", "--requirement", "GV-1.1").status == 0)
            return ana
        }
    }

    @Test("identity prints one fbr1 recipient string, made once in the config folder with mode 0600")
    func identity() throws {
        let scene = try Scene()
        let config = scene.root.appendingPathComponent("config")
        let process = FieldbookProcess(workingDirectory: scene.root, environment: [
            "FIELDBOOK_IDENTITY": "", "XDG_CONFIG_HOME": config.path, "HOME": scene.root.appendingPathComponent("home").path])
        let first = try process.run(["identity"])
        #expect(first.status == 0, "\(first.stderr)")
        let recipient = first.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(recipient.hasPrefix("fbr1") && recipient.count == 62 && first.stdout == recipient + "\n")
        #expect(first.stderr.contains("Made a new identity"))
        let file = config.appendingPathComponent("fieldbook/identity")
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)

        let again = try process.run(["identity", "--json"])
        #expect(again.status == 0 && again.stderr.isEmpty)
        let document = try again.json
        #expect(document["recipient"] as? String == recipient)
        #expect(document["file"] as? String == file.path)
        #expect(document["created"] as? Bool == false)
        #expect(!FileManager.default.fileExists(atPath: scene.root.appendingPathComponent("home").path))
    }

    @Test("a bundle sealed for Bo is imported and cloned by Bo, read back by Ana, refused for Cy with exit 5 and nothing written")
    func sealedForOneOfTwo() throws {
        let scene = try Scene()
        let ana = try scene.ana()
        let bo = try Assessor("bo", in: scene.root), cy = try Assessor("cy", in: scene.root)
        let boRecipient = try bo.recipient, cyRecipient = try cy.recipient
        let bundle = scene.root.appendingPathComponent("for-bo.fbsealed").path

        let exported = try ana.run("bundle", "export", "-o", bundle, "--recipient", boRecipient, "--json")
        #expect(exported.status == 0 && exported.stderr.isEmpty, "\(exported.stderr)")
        let summary = try exported.json
        #expect(summary["sealed_for"] as? [String] == [boRecipient, try ana.recipient])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: bundle))
        #expect(bytes.range(of: Data("Confidential client".utf8)) == nil && bytes.range(of: Data("sealed-engagement".utf8)) == nil)

        // Bo clones it, and imports it again into the clone: nothing new.
        let clone = try bo.run("clone", bundle, "--assessor", "Bo")
        #expect(clone.status == 0, "\(clone.stderr)")
        #expect(clone.stdout.contains("Confidential client"))
        #expect(try bo.run("bundle", "import", bundle).stdout.hasPrefix("Nothing new"))
        #expect(try bo.run("evidence", "verify").status == 0)
        #expect(try bo.run("risk", "list").stdout.contains("Model drift"))
        // Ana, a recipient as the sender, can read her own bundle.
        #expect(try ana.run("bundle", "import", bundle).stdout.hasPrefix("Nothing new"))

        // Cy: clone refused before a workspace exists, import refused with the workspace unchanged.
        let refusedClone = try cy.run("clone", bundle, "--assessor", "Cy")
        #expect(refusedClone.status == 5)
        #expect(refusedClone.stderr.contains("sealed for 2 recipients, not for this identity") && refusedClone.stderr.contains(cyRecipient))
        #expect(refusedClone.stderr.split(separator: "\n").count == 1 && refusedClone.stdout.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cy.folder.path).isEmpty)
        #expect(try cy.run("init", "--engagement", "Confidential client", "--assessor", "Cy", "--id", "sealed-engagement").status == 0)
        let before = try cy.export()
        let refusedImport = try cy.run("bundle", "import", bundle)
        #expect(refusedImport.status == 5 && refusedImport.stderr.contains(cyRecipient))
        #expect(try cy.export() == before)
        #expect(try cy.files().allSatisfy { !$0.hasPrefix(".fieldbook/tmp/") })
    }

    @Test("a mistyped recipient writes nothing; an unsealed export says once that anyone can read it, except with --json")
    func recipientsAndUnsealed() throws {
        let scene = try Scene()
        let ana = try scene.ana()
        let bo = try Assessor("bo", in: scene.root)
        let recipient = try bo.recipient
        let typo = String(recipient.dropLast()) + (recipient.last == "a" ? "b" : "a")
        let target = scene.root.appendingPathComponent("typo.fbsealed")
        let refused = try ana.run("bundle", "export", "-o", target.path, "--recipient", typo)
        #expect(refused.status == 1 && refused.stderr.contains("mistyped") && refused.stderr.contains(typo))
        #expect(!FileManager.default.fileExists(atPath: target.path))
        #expect(try ana.run("bundle", "export", "-o", target.path, "--recipient", "age1qqqq").status == 1)

        let plain = try ana.run("bundle", "export", "-o", scene.root.appendingPathComponent("plain.fbbundle").path)
        #expect(plain.status == 0)
        #expect(plain.stderr.components(separatedBy: "anyone who holds").count == 2, "\(plain.stderr)")
        let quiet = try ana.run("bundle", "export", "-o", scene.root.appendingPathComponent("plain2.fbbundle").path, "--json")
        #expect(quiet.status == 0 && quiet.stderr.isEmpty)
        #expect(try quiet.json["sealed_for"] as? [String] == [])
    }

    @Test("a sealed bundle with a flipped byte, cut short or with two chunks swapped is refused with exit 1 and nothing written")
    func tampered() throws {
        let scene = try Scene()
        let ana = try scene.ana()
        let bo = try Assessor("bo", in: scene.root)
        let bundle = scene.root.appendingPathComponent("good.fbsealed")
        #expect(try ana.run("bundle", "export", "-o", bundle.path, "--recipient", try bo.recipient).status == 0)
        #expect(try bo.run("init", "--engagement", "Confidential client", "--assessor", "Bo", "--id", "sealed-engagement").status == 0)
        let good = try Data(contentsOf: bundle)
        // Two recipients: 14 + 2 x 80 + 32 + 32 + 16 header bytes, then chunks of 64 KiB + 16.
        let firstChunk = 254, chunk = 65_536 + 16
        #expect(good.count > firstChunk + 3 * chunk)
        var flipped = good
        flipped[firstChunk + chunk + 100] ^= 1
        var swapped = good.prefix(firstChunk)
        swapped += good.subdata(in: firstChunk + chunk ..< firstChunk + 2 * chunk)
        swapped += good.subdata(in: firstChunk ..< firstChunk + chunk)
        swapped += good.suffix(from: firstChunk + 2 * chunk)
        var header = good
        header[20] ^= 0x80
        let variants: [(String, Data, String)] = [
            ("flipped", flipped, "integrity check failed"),
            ("truncated", good.prefix(firstChunk + 2 * chunk), "ends early"),
            ("swapped", swapped, "integrity check failed"),
            ("key-block", header, "damaged"),
        ]
        for (name, bytes, message) in variants {
            let file = scene.root.appendingPathComponent("\(name).fbsealed")
            try bytes.write(to: file)
            let before = try bo.export()
            let files = try bo.files()
            let outcome = try bo.run("bundle", "import", file.path)
            #expect(outcome.status == 1, "\(name): \(outcome.stderr)")
            #expect(outcome.stderr.contains(message), "\(name): \(outcome.stderr)")
            #expect(try bo.export() == before, "\(name) changed the workspace")
            #expect(try bo.files() == files, "\(name) left files behind")
            let clone = try Assessor("clone-\(name)", in: scene.root)
            try FileManager.default.copyItem(at: bo.identityFile, to: clone.identityFile)
            #expect(try clone.run("clone", file.path, "--assessor", "Bo").status == 1)
            #expect(try FileManager.default.contentsOfDirectory(atPath: clone.folder.path).isEmpty, "\(name): clone left a workspace")
        }
    }
}

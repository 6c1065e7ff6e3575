import FieldbookModel
@testable import FieldbookSync
import Foundation
import Testing

/// A user's identity (`Sources/FieldbookSync/Identity/`): the recipient string colleagues seal
/// for, and the identity file kept in the user's config folder.
struct IdentityTests {
    @Test("recipient strings: the text form round-trips; a mistyped, cut, foreign or unusable one is refused")
    func recipientStrings() throws {
        let recipient = Identity.generate().recipient
        let text = recipient.description
        #expect(text.hasPrefix("fbr1") && text.count == 62)
        #expect(try Recipient(parsing: text) == recipient)
        #expect(try Recipient(parsing: " \(text.uppercased())\n") == recipient)
        func problem(_ text: String) -> String? {
            do { _ = try Recipient(parsing: text); return nil } catch {
                guard case let .invalidRecipient(_, problem) = error else { return "\(error)" }
                return problem
            }
        }
        // Every single-character typo is caught, at every position.
        let body = Array(text.dropFirst(4))
        for index in body.indices {
            var typo = body
            typo[index] = typo[index] == "a" ? "b" : "a"
            #expect(problem("fbr1" + String(typo)) != nil, "a typo at \(index) was accepted")
        }
        #expect(problem(String(text.dropLast()))?.contains("61 characters") == true)
        #expect(problem("age1" + text.dropFirst(4))?.contains("not a Fieldbook recipient") == true)
        #expect(problem(text.replacingOccurrences(of: String(text.last!), with: "1"))?.contains("'1'") == true)
        // All zeros is a low-order point: X25519 cannot agree with it, even with a right checksum.
        #expect(problem(KeyText.encode(Data(count: 32), prefix: "fbr1")) == "is not a usable public key")
    }

    @Test("the identity file is made once with mode 0600 in a 0700 folder, read back the same, and refused when damaged")
    func identityFile() throws {
        let scene = try SealedBundleTests.Scene()
        let file = IdentityFile(url: scene.folder.appendingPathComponent("config/fieldbook/identity"))
        #expect(try file.load() == nil)
        let made = try file.loadOrCreate()
        #expect(try file.loadOrCreate().recipient == made.recipient)
        #expect(try file.load()?.recipient == made.recipient)
        let attributes = try FileManager.default.attributesOfItem(atPath: file.url.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: file.url.deletingLastPathComponent().path)
        #expect((folder[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        #expect(try String(contentsOf: file.url, encoding: .utf8).contains("# recipient: \(made.recipient)"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: file.url.deletingLastPathComponent().path) == ["identity"])

        try Data("fbs1notakey\n".utf8).write(to: file.url)
        #expect(throws: BundleError.identityUnusable(file.url.path, "it holds no valid fbs1 key")) { try file.loadOrCreate() }

        #expect(IdentityFile.standard(environment: ["FIELDBOOK_IDENTITY": "/x/id", "HOME": "/h"]).url.path == "/x/id")
        #expect(IdentityFile.standard(environment: ["XDG_CONFIG_HOME": "/c", "HOME": "/h"]).url.path == "/c/fieldbook/identity")
        #expect(IdentityFile.standard(environment: ["XDG_CONFIG_HOME": "relative", "HOME": "/h"]).url.path == "/h/.config/fieldbook/identity")
    }
}

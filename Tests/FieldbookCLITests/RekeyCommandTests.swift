import Foundation
import Testing

/// `fieldbook rekey` through the real binary: the workspace signs as a new site, keeps every
/// edit, and its history still verifies.
struct RekeyCommandTests {
    @Test("rekey moves the workspace to a new site and key, keeps what it holds, and says which key to bind")
    func rekey() throws {
        let ws = try CLIWorkspace()
        #expect(try ws.run("assess", "GV-1.1", "--result", "compliant").status == 0)
        #expect(try ws.run("risk", "add", "Bias", "--likelihood", "4", "--impact", "4").status == 0)
        let before = try ws.run("status", "--json").json
        let exported = try ws.export()

        let outcome = try ws.run("rekey", "--json")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let summary = try outcome.json
        #expect(summary["former_site"] as? String == before["site"] as? String)
        #expect(summary["site"] as? String != before["site"] as? String)
        #expect(summary["public_key"] as? String != before["public_key"] as? String)
        #expect((summary["reauthored"] as? Int ?? 0) > 0 && summary["handed_out"] as? Int == 0)

        let after = try ws.run("status", "--json").json
        #expect(after["site"] as? String == summary["site"] as? String && after["public_key"] as? String == summary["public_key"] as? String)
        #expect(try ws.run("show", "GV-1.1", "--json").json["result"] as? [String: Any] != nil)
        // Re-made changes keep when they were made: the engagement exports byte for byte as before.
        #expect(try ws.export() == exported)
        let verify = try ws.run("log", "--verify")
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(try ws.run("rekey").stdout.contains("fieldbook-server token create"))
    }
}

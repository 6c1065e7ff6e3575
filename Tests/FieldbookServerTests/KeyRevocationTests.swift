import FieldbookModel
import FieldbookReplica
import FieldbookWire
import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Key revocation through the real binaries, on each backend (issue 31): a lost laptop's key is
/// cut off in one command; its later changes are refused by the server, by a colleague who held
/// them already (withdrawn when the revocation comes) and in a bundle; its earlier ones stay and
/// verify; a colleague offline at the time learns it at the next sync and keeps their work; the
/// assessor goes on under a new key; forged and replayed revocations are refused.
@Suite(.serialized)
struct KeyRevocationTests {
    static func message(_ body: Data) -> String {
        (try? JSONDecoder().decode(ErrorResponse.self, from: body))?.error.message ?? String(decoding: body, as: UTF8.self)
    }

    @Test("a revoked site's later changes are refused everywhere, its earlier ones kept and verified; the assessor re-keys and goes on",
          arguments: ServerBackend.underTest)
    func revocation(backend: ServerBackend) async throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        let engagement = try server.createEngagement("Acme credit model")
        let ana = try Laptop(), ben = try Laptop(), carl = try Laptop(), dana = try Laptop()
        let anaToken = try server.token(for: "Ana", engagement: engagement).secret
        let benToken = try server.token(for: "Ben", engagement: engagement)
        let carlToken = try server.token(for: "Carl", engagement: engagement).secret
        let danaToken = try server.token(for: "Dana", engagement: engagement).secret
        for (laptop, token, name) in [(ana, anaToken, "Ana"), (ben, benToken.secret, "Ben"), (carl, carlToken, "Carl"), (dana, danaToken, "Dana")] {
            let clone = try laptop.run("clone", server.url, "--engagement", engagement, "--token", token, "--assessor", name)
            #expect(clone.status == 0, "\(clone.stderr)")
        }
        #expect(try ben.run("risk", "add", "Ben before the loss", "--likelihood", "3", "--impact", "3").status == 0)
        #expect(try ben.run("sync").status == 0)
        let benSite = try #require(try ben.json("status", "--json")["site"] as? String)
        let accepted = try await server.vector(engagement, token: anaToken).entries[try #require(SiteID(benSite))]?.contiguous ?? 0
        #expect(accepted > 0)
        // Ben works on offline and hands Ana a bundle; Carl works offline too.
        #expect(try ben.run("risk", "add", "Ben after the loss", "--likelihood", "5", "--impact", "5").status == 0)
        let fromBen = ben.folder.appendingPathComponent("ben.fbundle")
        #expect(try ben.run("bundle", "export", "-o", fromBen.path).status == 0)
        #expect(try ana.run("bundle", "import", fromBen.path).status == 0)
        #expect(try ana.export().contains("Ben after the loss"))
        #expect(try dana.run("bundle", "import", fromBen.path).status == 0)
        #expect(try carl.run("assess", "MP-1.1", "--result", "partially-compliant", "--note", "Carl offline").status == 0)

        // The laptop is lost: one command cuts it off.
        let revoked = try server.admin(["key", "revoke", "--engagement", engagement, "--site", benSite, "--reason", "Laptop stolen", "--json"])
        #expect(revoked.status == 0, "\(revoked.stderr)")
        let record = try #require(try JSONSerialization.jsonObject(with: Data(revoked.stdout.utf8)) as? [String: Any])
        #expect(record["last_valid"] as? Int == Int(accepted) && record["assessor"] as? String == "Ben")
        #expect(record["tokens_revoked"] as? [String] == [benToken.id])
        // Its token stops working.
        let benSync = try ben.run("sync")
        #expect(benSync.status == 5, "\(benSync.stderr)")

        // Ana held Ben's later work: her sync pushes her own, the server refuses Ben's relayed
        // work, the pull brings the revocation, which takes that work out; her sync ends clean.
        #expect(try ana.run("assess", "GV-1.1", "--result", "compliant").status == 0)
        let anaSync = try ana.run("sync")
        #expect(anaSync.status == 0, "\(anaSync.stdout)\(anaSync.stderr)")
        let anaExport = try ana.export()
        #expect(anaExport.contains("Ben before the loss") && !anaExport.contains("Ben after the loss"))
        let verify = try ana.run("log", "--verify")
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("REVOKED site \(benSite) (Ben)") && verify.stdout.contains("Laptop stolen")
                && verify.stdout.contains("\(benSite)/\(accepted) stand") && verify.stdout.contains("withdrawn here"), "\(verify.stdout)")
        let verified = try ana.json("log", "--verify", "--json")
        let revocations = try #require(verified["revocations"] as? [[String: Any]])
        #expect(revocations.count == 1 && revocations.first?["site"] as? String == benSite && (revocations.first?["withdrawn"] as? Int ?? 0) > 0)

        // Dana never syncs again: the revocation reaches her in Ana's bundle and takes Ben's later work out.
        let fromAna = ana.folder.appendingPathComponent("ana.fbundle")
        #expect(try ana.run("bundle", "export", "-o", fromAna.path).status == 0)
        let danaImport = try dana.run("bundle", "import", fromAna.path)
        #expect(danaImport.status == 0, "\(danaImport.stderr)")
        #expect(try !dana.export().contains("Ben after the loss"))
        let danaVerify = try dana.run("log", "--verify")
        #expect(danaVerify.status == 0 && danaVerify.stdout.contains("REVOKED site \(benSite) (Ben)") && danaVerify.stdout.contains("withdrawn here"),
                "\(danaVerify.stdout)\(danaVerify.stderr)")

        // Ben's bundle carries the revoked work: refused whole, naming the site and the revocation.
        let refused = try ana.run("bundle", "import", fromBen.path)
        #expect(refused.status == 3, "\(refused.stderr)")
        #expect(refused.stderr.contains(benSite) && refused.stderr.contains("revoked"), "\(refused.stderr)")
        #expect(try ana.export() == anaExport)

        // Carl was offline: his next sync takes his work and brings the revocation.
        let carlSync = try carl.run("sync")
        #expect(carlSync.status == 0, "\(carlSync.stderr)")
        #expect(try carl.run("log", "--verify").stdout.contains("REVOKED site \(benSite)"))
        #expect(try ana.run("sync").status == 0)
        #expect(try carl.export() == ana.export())
        #expect(try carl.export().contains("Carl offline"))

        // The laptop turns up: with a new token its push is refused 403 key_revoked, naming the
        // site; the pull tells it of the revocation, so it writes nothing more under that key.
        let newToken = try server.token(for: "Ben", engagement: engagement).secret
        #expect(try ben.run("remote", "remove", "origin").status == 0)
        #expect(try ben.run("remote", "add", "origin", server.url, "--token", newToken).status == 0)
        let found = try ben.run("sync")
        #expect(found.status == 5, "\(found.stderr)")
        #expect(found.stderr.contains(benSite) && found.stderr.contains("revoked"), "\(found.stderr)")
        let blocked = try ben.run("risk", "add", "Another", "--likelihood", "1", "--impact", "1")
        #expect(blocked.status == 3 && blocked.stderr.contains("fieldbook rekey"), "\(blocked.stderr)")
        // Re-keyed, Ben's later work goes again under the new key and reaches everyone.
        let rekey = try ben.run("rekey", "--json")
        #expect(rekey.status == 0, "\(rekey.stderr)")
        let resync = try ben.run("sync")
        #expect(resync.status == 0, "\(resync.stderr)")
        #expect(try ana.run("sync").status == 0)
        #expect(try ana.export().contains("Ben after the loss"))
        #expect(try ana.export() == ben.export())
        #expect(try ana.run("log", "--verify").status == 0)
    }

    @Test("a revocation signed by another key, or replayed from another engagement, is refused by the server",
          arguments: ServerBackend.underTest)
    func forgedAndReplayed(backend: ServerBackend) async throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        let engagement = try server.createEngagement("Target")
        let other = try server.createEngagement("Elsewhere")
        let ana = try server.token(for: "Ana", engagement: engagement).secret
        let mallory = try server.token(for: "Mallory", engagement: other).secret
        let victim = ChangeSigner()

        // Forged: Ana's own key signs a revocation of a colleague.
        let forger = ChangeSigner()
        let forged = forger.chain(Change(dot: Dot(site: forger.site, counter: 1), hlc: HLCTimestamp(wall: UInt64(Date().timeIntervalSince1970 * 1000), logical: 0),
                                         author: "Ana", entity: EntityID.revocation(of: victim.site.text)!, kind: .revocation,
                                         field: RevocationField.lastValid.name, value: .integer(0)),
                                  after: ChangeHash.genesis, head: true).change
        let (status, body) = try await server.request("POST", "/v1/engagements/\(engagement)/changes", token: ana,
                                                      body: ChangeBatch([forged]).encoded(), contentType: Wire.changesMediaType)
        #expect(status == 422, "\(Self.message(body))")
        #expect(Self.message(body).contains("revocation") && Self.message(body).contains("forged or replayed"), "\(Self.message(body))")

        // Replayed: a genuine revocation of the other engagement, pulled from there and pushed here.
        let laptop = try Laptop()
        #expect(try laptop.run("clone", server.url, "--engagement", other, "--token", mallory, "--assessor", "Mallory").status == 0)
        #expect(try laptop.run("risk", "add", "Something", "--likelihood", "1", "--impact", "1").status == 0)
        #expect(try laptop.run("sync").status == 0)
        let site = try #require(try laptop.json("status", "--json")["site"] as? String)
        #expect(try server.admin(["key", "revoke", "--engagement", other, "--site", site]).status == 0)
        var pull = URLRequest(url: URL(string: server.url + "/v1/engagements/\(other)/pull")!)
        pull.httpMethod = "POST"
        pull.httpBody = try JSONEncoder().encode(PullRequest(vector: VersionVector()))
        pull.setValue("Bearer \(try server.token(for: "Reader", engagement: other).secret)", forHTTPHeaderField: "Authorization")
        pull.setValue("application/json", forHTTPHeaderField: "Content-Type")
        pull.setValue(String(ProtocolVersion.current.rawValue), forHTTPHeaderField: Wire.protocolHeader)
        let (page, _) = try await URLSession.shared.data(for: pull)
        let (_, pulled, _) = try PullPage.read(page)
        let revocation = pulled.filter { $0.kind == .revocation }
        #expect(!revocation.isEmpty)
        let (replayStatus, replayBody) = try await server.request("POST", "/v1/engagements/\(engagement)/changes", token: ana,
                                                                  body: ChangeBatch(revocation).encoded(), contentType: Wire.changesMediaType)
        #expect(replayStatus == 422 || replayStatus == 403, "\(Self.message(replayBody))")
        #expect(Self.message(replayBody).contains("revocation"), "\(Self.message(replayBody))")
        #expect(try await server.vector(engagement, token: ana).entries.isEmpty)
    }

    @Test("key revoke refuses an unknown site, a point before what the server accepted and a malformed --after, changing nothing",
          arguments: ServerBackend.underTest)
    func refusals(backend: ServerBackend) async throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        let engagement = try server.createEngagement("Refusals")
        let token = try server.token(for: "Ana", engagement: engagement)
        let ana = try Laptop()
        #expect(try ana.run("clone", server.url, "--engagement", engagement, "--token", token.secret, "--assessor", "Ana").status == 0)
        #expect(try ana.run("risk", "add", "One", "--likelihood", "1", "--impact", "1").status == 0)
        #expect(try ana.run("sync").status == 0)
        let site = try #require(try ana.json("status", "--json")["site"] as? String)
        let cases: [([String], Int32, String)] = [
            (["--site", UUID().uuidString.lowercased()], 2, "No site"),
            (["--site", site, "--after", "1"], 3, "keeps at least those valid"),
            (["--site", site, "--after", "yesterday"], 1, "--after must be"),
            (["--site", "not-a-site"], 1, "--site must be"),
        ]
        for (arguments, expected, words) in cases {
            let result = try server.admin(["key", "revoke", "--engagement", engagement] + arguments)
            #expect(result.status == expected, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(words), "\(arguments): \(result.stderr)")
        }
        let unknown = try server.admin(["key", "revoke", "--engagement", "no-such", "--site", site])
        #expect(unknown.status == 2, "\(unknown.stderr)")
        // Nothing changed: Ana's token works, and her next change is taken.
        #expect(try ana.run("risk", "add", "Two", "--likelihood", "1", "--impact", "1").status == 0)
        #expect(try ana.run("sync").status == 0)
    }
}

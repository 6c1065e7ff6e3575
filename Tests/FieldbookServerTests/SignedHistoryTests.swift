import FieldbookModel
import FieldbookReplica
import FieldbookWire
import Foundation
import Testing

/// Who may write as whom: every change is signed by its site's key, and the server binds
/// each key to one assessor, even when the changes travel through a colleague's laptop.
@Suite(.serialized)
struct SignedHistoryTests {
    static func push(_ server: ServerProcess, _ engagement: String, _ token: String, _ changes: [Change]) async throws -> (Int, String) {
        let (status, body) = try await server.request("POST", "/v1/engagements/\(engagement)/changes", token: token,
                                                      body: ChangeBatch(changes).encoded(), contentType: Wire.changesMediaType)
        return (status, String(decoding: body, as: UTF8.self))
    }

    static func change(_ signer: ChangeSigner, _ counter: UInt64, author: String, title: String) -> Change {
        signer.sign(Change(dot: Dot(site: signer.site, counter: counter),
                           hlc: HLCTimestamp(wall: UInt64(Date().timeIntervalSince1970 * 1000), logical: counter), author: author,
                           entity: EntityID("0193d000-0000-7000-8000-000000000001")!, kind: .risk, field: "title", value: .text(title)))
    }

    @Test("forged, altered and unsigned changes are refused naming author and change; nothing is stored", arguments: ServerBackend.underTest)
    func forgedChanges(backend: ServerBackend) async throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        let engagement = try server.createEngagement("Signed")
        let token = try server.token(for: "Ana", engagement: engagement).secret
        let ana = ChangeSigner()
        let good = Self.change(ana, 1, author: "Ana", title: "Model drift")
        let altered = Change(dot: good.dot, hlc: good.hlc, author: "Ana", entity: good.entity, kind: .risk, field: "title",
                             value: .text("Nothing to see"), publicKey: good.publicKey, signature: good.signature)
        let (alteredStatus, alteredBody) = try await Self.push(server, engagement, token, [altered])
        #expect(alteredStatus == 422 && alteredBody.contains("does not match its signature") && alteredBody.contains("Ana")
                && alteredBody.contains(ana.site.short), "\(alteredBody)")
        let (unsignedStatus, unsignedBody) = try await Self.push(server, engagement, token, [good.with(publicKey: Data(), signature: Data())])
        #expect(unsignedStatus == 422 && unsignedBody.contains("carries no valid signing key"), "\(unsignedBody)")
        // A valid signature by another key, over a change claiming Ana's site.
        let mallory = ChangeSigner()
        let stolen = mallory.sign(Change(dot: Dot(site: ana.site, counter: 1), hlc: good.hlc, author: "Ana", entity: good.entity,
                                         kind: .risk, field: "title", value: .text("As Ana")))
        #expect(try await Self.push(server, engagement, token, [stolen]).0 == 422)
        #expect(try await server.vector(engagement, token: token).count == 0)
        #expect(try await Self.push(server, engagement, token, [good]).0 == 200)
    }

    @Test("one assessor cannot write as another, even relaying through a third laptop; a bound key may be relayed", arguments: ServerBackend.underTest)
    func impersonation(backend: ServerBackend) async throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        let engagement = try server.createEngagement("Bindings")
        let anaToken = try server.token(for: "Ana", engagement: engagement).secret
        let carolToken = try server.token(for: "Carol", engagement: engagement).secret
        let ana = ChangeSigner(), ben = ChangeSigner()

        // Carol's token, Ben's unbound key: refused (403), nothing stored.
        let (relayStatus, relayBody) = try await Self.push(server, engagement, carolToken, [Self.change(ben, 1, author: "Ben", title: "Relayed")])
        #expect(relayStatus == 403 && relayBody.contains("Ben") && relayBody.contains("not bound"), "\(relayBody)")
        // Ana binds her key by first use; afterwards nobody writes as someone else with it.
        #expect(try await Self.push(server, engagement, anaToken, [Self.change(ana, 1, author: "Ana", title: "Mine")]).0 == 200)
        let (renamedStatus, renamedBody) = try await Self.push(server, engagement, anaToken, [Self.change(ana, 2, author: "Ben", title: "As Ben")])
        #expect(renamedStatus == 403 && renamedBody.contains("belongs to 'Ana'"), "\(renamedBody)")
        // Ana's own changes relayed by Carol are fine: the key is bound to Ana.
        #expect(try await Self.push(server, engagement, carolToken, [Self.change(ana, 2, author: "Ana", title: "Relayed by Carol")]).0 == 200)
        // Ben's key bound at token creation: Carol may now relay his work before he syncs.
        let bound = try server.admin(["token", "create", "--assessor", "Ben", "--engagement", engagement,
                                      "--public-key", ben.publicKey.base64EncodedString()])
        #expect(bound.status == 0, "\(bound.stderr)")
        #expect(try await Self.push(server, engagement, carolToken, [Self.change(ben, 1, author: "Ben", title: "Relayed")]).0 == 200)
        let taken = try server.admin(["token", "create", "--assessor", "Mallory", "--engagement", engagement,
                                      "--public-key", ben.publicKey.base64EncodedString()])
        #expect(taken.status == 3 && taken.stderr.contains("That public key is bound to 'Ben' on engagement"), "\(taken.stderr)")
        #expect(!taken.stderr.contains("An engagement"), "the clash is about a key, not an engagement: \(taken.stderr)")
        let garbage = try server.admin(["token", "create", "--assessor", "Ben", "--engagement", engagement, "--public-key", "not-a-key"])
        #expect(garbage.status == 1, "\(garbage.stderr)")
        #expect(try await server.vector(engagement, token: anaToken).count == 3)
    }

    @Test("through the CLI: a colleague's bundle synced by another assessor is refused until the author's key is bound", arguments: ServerBackend.underTest)
    func relayThroughCLI(backend: ServerBackend) throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        let engagement = try server.createEngagement("Relay")
        let carolToken = try server.token(for: "Carol", engagement: engagement).secret
        let carol = try Laptop(), ben = try Laptop()
        #expect(try carol.run("clone", server.url, "--engagement", engagement, "--token", carolToken, "--assessor", "Carol").status == 0)
        let bundle = carol.folder.appendingPathComponent("carol.fbbundle")
        #expect(try carol.run("bundle", "export", "-o", bundle.path).status == 0)
        #expect(try ben.run("clone", bundle.path, "--assessor", "Ben").status == 0)
        #expect(try ben.run("risk", "add", "Ben's risk", "--likelihood", "2", "--impact", "3").status == 0)
        let fromBen = ben.folder.appendingPathComponent("ben.fbbundle")
        #expect(try ben.run("bundle", "export", "-o", fromBen.path).status == 0)
        #expect(try carol.run("bundle", "import", fromBen.path).status == 0)
        // Meanwhile Dan syncs a risk of his own.
        let dan = try Laptop()
        let danToken = try server.token(for: "Dan", engagement: engagement).secret
        #expect(try dan.run("clone", server.url, "--engagement", engagement, "--token", danToken, "--assessor", "Dan").status == 0)
        #expect(try dan.run("risk", "add", "Dan's risk", "--likelihood", "1", "--impact", "1").status == 0)
        #expect(try dan.run("sync").status == 0)

        let refused = try carol.run("sync")
        #expect(refused.status == 5 && refused.stderr.contains("Ben"), "\(refused.stderr)")
        // The refused push did not stop the pull: Carol still received Dan's work.
        let risks = try #require(try carol.json("risk", "list", "--json")["risks"] as? [[String: Any]])
        #expect(risks.contains { $0["title"] as? String == "Dan's risk" })
        let key = try #require(try ben.json("status", "--json")["public_key"] as? String)
        #expect(try server.admin(["token", "create", "--assessor", "Ben", "--engagement", engagement, "--public-key", key]).status == 0)
        let relayed = try carol.run("sync")
        #expect(relayed.status == 0, "\(relayed.stderr)")
        let verify = try carol.json("log", "--verify", "--json")
        #expect(verify["failures"] as? [Any] == nil || (verify["failures"] as? [Any])?.isEmpty == true)
        #expect((verify["checked"] as? Int ?? 0) > 0 && verify["checked"] as? Int == verify["verified"] as? Int)
    }
}

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

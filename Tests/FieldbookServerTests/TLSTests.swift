import FieldbookSync
import Foundation
import Testing

/// HTTPS end to end on the real binaries, with a private CA made by `openssl` in the test:
/// trusted with `--ca-cert`, refused without it or for a certificate naming another host, and
/// the rules for plain HTTP on both sides.
@Suite(.serialized)
struct TLSTests {
    /// A server on HTTPS with a certificate for `names`, and the authority that signed it.
    private func tlsServer(named names: [String] = ["127.0.0.1", "localhost"]) throws -> (ServerProcess, TestCertificates) {
        let certificates = try TestCertificates()
        let (certificate, key) = try certificates.server(named: names)
        return (try ServerProcess(arguments: ["--tls-cert", certificate, "--tls-key", key]), certificates)
    }

    @Test("a private CA given with --ca-cert is trusted: clone, edit and sync over HTTPS")
    func trustedPrivateAuthority() throws {
        let (server, certificates) = try tlsServer()
        let engagement = try server.createEngagement("Acme")
        let token = try server.token(for: "Ana", engagement: engagement).secret
        let url = "https://127.0.0.1:\(server.port)"
        let ana = try Laptop()
        let clone = try ana.run("clone", url, "--engagement", engagement, "--token", token, "--assessor", "Ana", "--ca-cert", certificates.authority.path)
        #expect(clone.status == 0, "\(clone.stderr)")
        #expect(try ana.run("assess", "GV-1.1", "--result", "compliant").status == 0)
        let sync = try ana.json("sync", "--json")
        #expect(sync["pushed"] as? Int == 1)
        // The CA is kept with the remote: the workspace needs no file outside it.
        let remotes = try String(contentsOf: ana.folder.appendingPathComponent(".fieldbook/remotes.json"), encoding: .utf8)
        #expect(remotes.contains("BEGIN CERTIFICATE"))
        let ben = try Laptop()
        let benToken = try server.token(for: "Ben", engagement: engagement).secret
        let benClone = try ben.run("clone", "https://localhost:\(server.port)", "--engagement", engagement, "--token", benToken, "--assessor", "Ben",
                                "--ca-cert", certificates.authority.path)
        #expect(benClone.status == 0, "\(benClone.stderr)")
        // Through the certificate's DNS name too; Ben holds what Ana pushed.
        #expect(try ben.export() == (try ana.export()))
        #expect((try ben.json("show", "GV-1.1", "--json")["result"] as? [String: Any])?["status"] as? String == "compliant")
    }

    @Test("an untrusted certificate, or one naming another host, is exit 5 naming the host, and nothing is written")
    func untrustedCertificates() throws {
        let (server, _) = try tlsServer()
        let engagement = try server.createEngagement("Acme")
        let token = try server.token(for: "Ana", engagement: engagement).secret
        let laptop = try Laptop()
        let untrusted = try laptop.run("clone", "https://127.0.0.1:\(server.port)", "--engagement", engagement, "--token", token, "--assessor", "Ana")
        #expect(untrusted.status == 5)
        #expect(untrusted.stderr.contains("127.0.0.1") && untrusted.stderr.contains("--ca-cert"), "\(untrusted.stderr)")
        #expect(!FileManager.default.fileExists(atPath: laptop.folder.appendingPathComponent(".fieldbook").path))

        let (other, otherCertificates) = try tlsServer(named: ["other.example"])
        let otherEngagement = try other.createEngagement("Acme")
        let otherToken = try other.token(for: "Ana", engagement: otherEngagement).secret
        let mismatched = try laptop.run("clone", "https://127.0.0.1:\(other.port)", "--engagement", otherEngagement, "--token", otherToken,
                                        "--assessor", "Ana", "--ca-cert", otherCertificates.authority.path)
        #expect(mismatched.status == 5, "\(mismatched.stderr)")
        #expect(mismatched.stderr.contains("127.0.0.1"))
        #expect(!FileManager.default.fileExists(atPath: laptop.folder.appendingPathComponent(".fieldbook").path))
    }

    @Test("the server refuses plain HTTP beyond loopback, half a TLS pair, a missing or non-PEM certificate")
    func serverStartRules() throws {
        let certificates = try TestCertificates()
        let (certificate, key) = try certificates.server(named: ["127.0.0.1"])
        let database = certificates.folder.appendingPathComponent("server.sqlite").path
        func serve(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            try ChildProcess.run(ServerProcess.binary("fieldbook-server"), ["serve", "--port", "0", "--database", database] + arguments)
        }
        let open = try serve(["--host", "0.0.0.0"])
        #expect(open.status == 1 && open.stderr.contains("--tls-cert") && open.stderr.contains("--insecure-http"), "\(open.stderr)")
        let half = try serve(["--tls-cert", certificate])
        #expect(half.status == 1 && half.stderr.contains("both"), "\(half.stderr)")
        let missing = try serve(["--tls-cert", certificate + ".nope", "--tls-key", key])
        #expect(missing.status == 2, "\(missing.stderr)")
        let notPEM = try serve(["--tls-cert", key, "--tls-key", key])
        #expect(notPEM.status == 1 && notPEM.stderr.contains("PEM"), "\(notPEM.stderr)")
    }

    @Test("a token never goes over plain http:// beyond loopback unless --insecure-http; --ca-cert must be a PEM file")
    func clientRules() throws {
        let laptop = try Laptop()
        #expect(try laptop.run("init", "--engagement", "Acme", "--assessor", "Ana").status == 0)
        let plain = try laptop.run("remote", "add", "origin", "http://10.20.30.40:8080", "--token", "fbt_x")
        #expect(plain.status == 1 && plain.stderr.contains("10.20.30.40") && plain.stderr.contains("--insecure-http"), "\(plain.stderr)")
        #expect((try laptop.json("remote", "list", "--json")["remotes"] as? [Any])?.isEmpty == true)
        #expect(try laptop.run("remote", "add", "origin", "http://10.20.30.40:8080", "--token", "fbt_x", "--insecure-http").status == 0)
        #expect(try laptop.run("remote", "add", "local", "http://127.0.0.1:9", "--token", "fbt_x").status == 0)
        let missing = try laptop.run("remote", "add", "tls", "https://10.20.30.40", "--token", "fbt_x", "--ca-cert", "/nonexistent/ca.pem")
        #expect(missing.status == 2, "\(missing.stderr)")
        let notPEM = laptop.folder.appendingPathComponent("ca.txt")
        try Data("not a certificate".utf8).write(to: notPEM)
        let bad = try laptop.run("remote", "add", "tls", "https://10.20.30.40", "--token", "fbt_x", "--ca-cert", notPEM.path)
        #expect(bad.status == 1 && bad.stderr.contains("PEM"), "\(bad.stderr)")
        #expect((try laptop.json("remote", "list", "--json")["remotes"] as? [Any])?.count == 2)
    }

    @Test("a proxy named in the environment never carries a plain-http token off the machine")
    func environmentProxyIgnoredForPlainHTTP() throws {
        let server = try ServerProcess()
        let engagement = try server.createEngagement("Acme")
        let token = try server.token(for: "Ana", engagement: engagement).secret
        let laptop = try Laptop()
        // Nothing listens on port 9: a request sent through this proxy would fail.
        let proxy = ["http_proxy": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9", "ALL_PROXY": "http://127.0.0.1:9", "all_proxy": "http://127.0.0.1:9"]
        let clone = try laptop.run(["clone", server.url, "--engagement", engagement, "--token", token, "--assessor", "Ana"], environment: proxy)
        #expect(clone.status == 0, "\(clone.stderr)")
        #expect(try laptop.run(["assess", "GV-1.1", "--result", "compliant"]).status == 0)
        #expect(try laptop.run(["sync"], environment: proxy).status == 0)
    }

    @Test("the loopback rule on URLs", arguments: [
        ("http://127.0.0.1:8080", true), ("http://localhost", true), ("http://[::1]:80", true), ("http://127.1.2.3", true),
        ("http://10.0.0.1", false), ("http://example.org", false), ("http://127.0.0.1.example.org", false), ("https://10.0.0.1", true),
        ("http://127.example.com", false), ("http://[::ffff:127.0.0.1]:80", true),
    ])
    func loopbackRule(url: String, allowed: Bool) {
        let refused = (try? TransportSecurity.check(URL(string: url)!, sendsToken: true, allowInsecureHTTP: false)) == nil
        #expect(refused == !allowed, "\(url)")
        #expect((try? TransportSecurity.check(URL(string: url)!, sendsToken: true, allowInsecureHTTP: true)) != nil)
        #expect((try? TransportSecurity.check(URL(string: url)!, sendsToken: false, allowInsecureHTTP: false)) != nil)
    }
}

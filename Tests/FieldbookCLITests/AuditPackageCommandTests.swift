import Foundation
import Testing

/// `export package` and `package verify` through the real binary on the sample engagement; the
/// archive is opened and checked with tools that share no code with Fieldbook (Python's
/// zipfile, sha256sum, openssl).
@Suite(.serialized)
struct AuditPackageCommandTests {
    /// Rewrites a ZIP with Python's zipfile, one entry's first byte flipped.
    static func flipFirstByte(of entry: String, in source: URL, to destination: URL) throws {
        let script = """
            import sys, zipfile
            src, dst, name = sys.argv[1:]
            with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, 'w') as zout:
                for info in zin.infolist():
                    data = zin.read(info.filename)
                    if info.filename == name:
                        data = bytes([data[0] ^ 1]) + data[1:]
                    zout.writestr(info.filename, data, compress_type=info.compress_type)
            """
        let (status, output) = try ReportCommandTests.python(script, [source.path, destination.path, entry])
        #expect(status == 0, "\(output)")
    }

    @Test("export package: every listed file is in the ZIP with the SHA-256 sha256sum computes, the signature checks with openssl, verify exits 0")
    func exportAndCheckIndependently() throws {
        let ws = try ReportCommandTests.sample()
        let package = ws.folder.appendingPathComponent("audit.zip")
        let started = Date()
        let exported = try ws.run("export", "package", "-o", "audit.zip")
        let seconds = Date().timeIntervalSince(started)
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stdout.contains("Wrote audit.zip"), "\(exported.stdout)")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: package.path)[.size] as? NSNumber)
        print("audit package of the sample engagement: \(size.intValue) bytes in \(String(format: "%.2f", seconds)) s (debug build)")

        let unpacked = ws.folder.appendingPathComponent("unpacked")
        let (unzipped, unzipOutput) = try ReportCommandTests.python(
            "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])", [package.path, unpacked.path])
        #expect(unzipped == 0, "\(unzipOutput)")
        let manifestBytes = try Data(contentsOf: unpacked.appendingPathComponent("manifest.json"))
        let manifest = try #require(try JSONSerialization.jsonObject(with: manifestBytes) as? [String: Any])
        let files = try #require(manifest["files"] as? [[String: Any]])
        let paths = files.compactMap { $0["path"] as? String }
        for report in ["gap-nist-ai-rmf", "gap-iso42001", "risks", "soa", "progress", "findings"] {
            #expect(paths.contains("reports/\(report).html") && paths.contains("reports/\(report).docx"), "\(report)")
        }
        #expect(paths.contains("oscal/assessment-results.json") && paths.contains("history/engagement.fbbundle"))
        #expect(Set(paths.filter { $0.hasPrefix("evidence/") })
            == ["evidence/ai-policy.md", "evidence/model-validation-report.md", "evidence/incident-log-extract.csv"])

        // Every listed file exists with the size and hash sha256sum finds, and nothing else is there.
        let (hashed, sums) = try ExternalTool.run(["sha256sum"] + paths, in: unpacked)
        #expect(hashed == 0, "\(sums)")
        var computed: [String: String] = [:]
        for line in sums.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            computed[String(parts[1].drop { $0 == " " || $0 == "*" })] = String(parts[0])
        }
        for file in files {
            let path = try #require(file["path"] as? String)
            #expect(computed[path] == file["sha256"] as? String, "\(path)")
            let onDisk = try FileManager.default.attributesOfItem(atPath: unpacked.appendingPathComponent(path).path)[.size] as? NSNumber
            #expect(onDisk?.intValue == file["size"] as? Int, "\(path)")
        }
        let (_, listing) = try ExternalTool.run(["find", ".", "-type", "f"], in: unpacked)
        #expect(listing.split(separator: "\n").count == files.count + 2, "\(listing)")
        // The evidence is the client's file as attached.
        let original = ReportCommandTests.root.appendingPathComponent("Fixtures/sample-engagement/evidence/ai-policy.md")
        #expect(try Data(contentsOf: unpacked.appendingPathComponent("evidence/ai-policy.md")) == Data(contentsOf: original))

        // The signature checks with openssl against the key 'status' prints.
        let signer = try #require(manifest["signer"] as? [String: Any])
        let key = try ws.run("status", "--field", "public-key").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(signer["public_key"] as? String == key)
        let der = Data([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]) + (Data(base64Encoded: key) ?? Data())
        let pem = "-----BEGIN PUBLIC KEY-----\n\(der.base64EncodedString())\n-----END PUBLIC KEY-----\n"
        try Data(pem.utf8).write(to: ws.folder.appendingPathComponent("signer.pem"))
        let signatureText = try String(contentsOf: unpacked.appendingPathComponent("manifest.sig"), encoding: .utf8)
        try #require(Data(base64Encoded: signatureText.trimmingCharacters(in: .whitespacesAndNewlines))).write(to: ws.folder.appendingPathComponent("manifest.bin"))
        let (verified, opensslOutput) = try ExternalTool.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "signer.pem", "-rawin",
                                                        "-in", "unpacked/manifest.json", "-sigfile", "manifest.bin"], in: ws.folder)
        #expect(verified == 0, "\(opensslOutput)")

        let verify = try ws.run("package", "verify", "audit.zip")
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains(key), "\(verify.stdout)")
        let document = try ws.run("package", "verify", "audit.zip", "--json").json
        #expect(document["ok"] as? Bool == true && document["files"] as? Int == files.count)
        #expect(document["first_difference"] is NSNull)
        #expect((document["signer"] as? [String: Any])?["public_key"] as? String == key)
        #expect((document["engagement"] as? [String: Any])?["id"] as? String == (manifest["engagement"] as? [String: Any])?["id"] as? String)
        #expect(document["version"] as? String == manifest["document_version"] as? String)
    }

    @Test("one byte changed in an evidence file: exit 3 naming it, and --json says where and why")
    func tamperedByte() throws {
        let ws = try ReportCommandTests.sample()
        #expect(try ws.run("export", "package", "-o", "audit.zip").status == 0)
        let tampered = ws.folder.appendingPathComponent("tampered.zip")
        try Self.flipFirstByte(of: "evidence/model-validation-report.md", in: ws.folder.appendingPathComponent("audit.zip"), to: tampered)
        let outcome = try ws.run("package", "verify", "tampered.zip")
        #expect(outcome.status == 3)
        #expect(outcome.stderr.contains("evidence/model-validation-report.md") && outcome.stderr.split(separator: "\n").count == 1, "\(outcome.stderr)")
        let json = try ws.run("package", "verify", "tampered.zip", "--json")
        #expect(json.status == 3)
        let difference = try #require(try json.json["first_difference"] as? [String: Any])
        #expect(difference["path"] as? String == "evidence/model-validation-report.md" && difference["reason"] as? String == "changed")
        #expect(try json.json["ok"] as? Bool == false)
    }

    @Test("not a ZIP exits 1, a missing file 2, export package without -o 1 with a sentence, -o inside .fieldbook 1")
    func refusals() throws {
        let ws = try CLIWorkspace()
        _ = try ws.file("notes.zip", "not a zip at all")
        let notZip = try ws.run("package", "verify", "notes.zip")
        #expect(notZip.status == 1 && notZip.stderr.contains("not a ZIP archive"), "\(notZip.stderr)")
        let missing = try ws.run("package", "verify", "nowhere.zip")
        #expect(missing.status == 2 && missing.stderr.contains("nowhere.zip"), "\(missing.stderr)")
        let noOutput = try ws.run("export", "package")
        #expect(noOutput.status == 1 && noOutput.stderr.contains("-o FILE.zip"), "\(noOutput.stderr)")
        #expect(noOutput.stderr.split(separator: "\n").count == 1)
        let inside = try ws.run("export", "package", "-o", ".fieldbook/audit.zip")
        #expect(inside.status == 1 && inside.stderr.contains(".fieldbook"), "\(inside.stderr)")
        #expect(!FileManager.default.fileExists(atPath: ws.folder.appendingPathComponent(".fieldbook/audit.zip").path))
    }

    @Test("a clone made under the real assessor's name signs a package that verifies, but verify says two sites write as that name and which one signed")
    func cloneUnderTheSameName() throws {
        let ana = try ReportCommandTests.sample()
        let realKey = try ana.run("status", "--field", "public-key").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let realSite = try #require(try ana.run("status", "--json").json["site"] as? String)
        let bundle = ana.folder.appendingPathComponent("ana.fbbundle").path
        #expect(try ana.run("bundle", "export", "-o", bundle).status == 0)

        let other = try CLIWorkspace(initialize: false)
        #expect(try other.run("clone", bundle, "--assessor", "Ana Ruiz").status == 0)
        #expect(try other.run("assess", "A.8.4", "--result", "compliant").status == 0)
        let otherKey = try other.run("status", "--field", "public-key").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let otherSite = try #require(try other.run("status", "--json").json["site"] as? String)
        #expect(otherKey != realKey)
        let exported = try other.run("export", "package", "-o", "resigned.zip")
        #expect(exported.status == 0, "\(exported.stderr)")

        // It verifies (the clone's key is a site of the history writing as 'Ana Ruiz'), but is not shown as the one signer.
        let verify = try other.run("package", "verify", "resigned.zip")
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("2 sites write as 'Ana Ruiz'"), "\(verify.stdout)")
        #expect(verify.stdout.contains("signed by site \(otherSite), key \(otherKey)"), "\(verify.stdout)")
        #expect(verify.stdout.contains("site \(realSite) as 'Ana Ruiz', key \(realKey)"), "\(verify.stdout)")
        #expect(!verify.stdout.contains("the one site"), "\(verify.stdout)")
        let document = try other.run("package", "verify", "resigned.zip", "--json").json
        let signer = try #require(document["signer"] as? [String: Any])
        #expect(signer["public_key"] as? String == otherKey && signer["assessor"] as? String == "Ana Ruiz")
        let others = try #require(signer["other_sites_with_this_name"] as? [[String: Any]], "\(signer)")
        #expect(others.count == 1)
        #expect(others.first?["public_key"] as? String == realKey && others.first?["site"] as? String == realSite)

        // The real assessor's own package names one site.
        #expect(try ana.run("export", "package", "-o", "audit.zip").status == 0)
        let real = try ana.run("package", "verify", "audit.zip")
        #expect(real.status == 0 && real.stdout.contains("the one site writing as 'Ana Ruiz'") && real.stdout.contains(realKey), "\(real.stdout)")
        let realSigner = try #require(try ana.run("package", "verify", "audit.zip", "--json").json["signer"] as? [String: Any])
        #expect((realSigner["other_sites_with_this_name"] as? [Any])?.isEmpty == true)
    }

    @Test("names from the package are printed without control or bidi characters")
    func hostileNamesPrintedSafely() throws {
        let ws = try CLIWorkspace(assessor: "Ana\u{1B}[31m Ruiz\u{7}", engagement: "Acme\u{202E}lmth.exe\u{1B}]0;pwned\u{7}\u{9B}2J")
        #expect(try ws.run("assess", "GV-1.1", "--result", "compliant").status == 0)
        let exported = try ws.run("export", "package", "-o", "audit.zip")
        #expect(exported.status == 0, "\(exported.stderr)")
        let verify = try ws.run("package", "verify", "audit.zip")
        #expect(verify.status == 0, "\(verify.stderr)")
        for unsafe in ["\u{1B}", "\u{7}", "\u{202E}", "\u{9B}"] {
            #expect(!verify.stdout.unicodeScalars.contains(unsafe.unicodeScalars.first!), "\(verify.stdout.debugDescription)")
        }
        #expect(verify.stdout.contains("Acme\u{FFFD}lmth.exe\u{FFFD}]0;pwned"), "\(verify.stdout.debugDescription)")
        // JSON keeps the names as they are, escaped.
        let json = try ws.run("package", "verify", "audit.zip", "--json")
        #expect((try json.json["engagement"] as? [String: Any])?["name"] as? String == "Acme\u{202E}lmth.exe\u{1B}]0;pwned\u{7}\u{9B}2J")
    }

    @Test("no temporary space to check a package in exits 4 (storage unavailable), not 2 (not found)")
    func noScratchSpace() throws {
        let ws = try CLIWorkspace()
        #expect(try ws.run("assess", "GV-1.1", "--result", "compliant").status == 0)
        #expect(try ws.run("export", "package", "-o", "audit.zip").status == 0)
        let starved = FieldbookProcess(workingDirectory: ws.folder, environment: ["TMPDIR": "/proc/nope"])
        let outcome = try starved.run(["package", "verify", "audit.zip"])
        #expect(outcome.status == 4, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("TMPDIR"), "\(outcome.stderr)")
    }
}


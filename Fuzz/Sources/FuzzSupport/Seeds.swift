import FieldbookModel
import FieldbookReplica
import FieldbookSync
import FieldbookWire
import Foundation

/// The seed corpus: small valid inputs made with the real encoders, so libFuzzer starts from
/// bytes that get past the first checks. Deterministic (fixed sites, clocks and ids), so
/// writing them again changes no file unless an encoding changed.
public enum Seeds {
    static let ana = "0193f000-0000-7000-8000-00000000000a"
    static let ben = "0193f000-0000-7000-8000-00000000000b"

    /// One engagement's changes, every value type and operation among them. Written as JSON
    /// and decoded, so a key and signature (`pk`, `sg`) are carried where the build reads them
    /// and ignored where it does not.
    static let changesJSON = """
        {"format":1,"changes":[
        {"a":"Fuzz Ana","d":"\(ana)/1","e":"fuzz-engagement","f":"name","h":117663969320108032,"k":"engagement","v":{"t":"Fuzz engagement"}},
        {"a":"Fuzz Ana","d":"\(ana)/2","e":"result:nist-ai-rmf:GOVERN-1.1","f":"status","h":117663969324040192,"k":"result","v":{"e":"compliant"}},
        {"a":"Fuzz Ana","d":"\(ana)/3","e":"result:nist-ai-rmf:GOVERN-1.1","f":"maturity","h":117663969324040193,"k":"result","v":{"i":2}},
        {"a":"Fuzz Ana","d":"\(ana)/4","e":"0193f000-0000-7000-8000-000000000101","f":"due","h":117663969324040194,"k":"finding","v":{"d":"2027-02-28"}},
        {"a":"Fuzz Ana","d":"\(ana)/5","e":"0193f000-0000-7000-8000-000000000102","f":"requirements","h":117663969324040195,"k":"risk","o":"add","v":{"l":"iso42001:A.6.2.4"}},
        {"a":"Ben Okafor","d":"\(ben)/1","e":"0193f000-0000-7000-8000-000000000102","f":"requirements","h":117663969324040200,"k":"risk","o":"remove","s":["\(ana)/5"],"v":{"l":"iso42001:A.6.2.4"},
         "pk":"\(Data(repeating: 0x42, count: 32).base64EncodedString())","sg":"\(Data(repeating: 0x5A, count: 64).base64EncodedString())"},
        {"a":"Ben Okafor","d":"\(ben)/2","e":"0193f000-0000-7000-8000-000000000102","f":"deleted","h":117663969324040201,"k":"risk","s":["\(ana)/5","\(ben)/1"],"v":{"b":true},
         "pk":"\(Data(repeating: 0x42, count: 32).base64EncodedString())","sg":"\(Data(repeating: 0x5B, count: 64).base64EncodedString())"}
        ]}
        """

    public static func changes() -> [Change] {
        // The seeds are constants; failing to read them is a bug in this file.
        try! ChangeBatch.decode(Data(changesJSON.utf8)).changes
    }

    /// Change batches: binary (the current format), JSON (format 1), one change, none.
    public static func changeBatches() -> [(String, Data)] {
        let changes = changes()
        return [
            ("batch-binary.bin", ChangeBatch(changes).encoded()),
            ("batch-json.json", ChangeBatch(changes).encodedJSON()),
            ("batch-binary-one.bin", ChangeBatch(Array(changes.prefix(1))).encoded()),
            ("batch-binary-empty.bin", ChangeBatch([]).encoded()),
            ("batch-format2.bin", unsignedFormat2),
            ("batch-format3.bin", ChangeBatch(changes).encodedLegacy()),
            ("batch-chained.bin", ChangeBatch(chained()).encoded()),
            ("batch-chained-split.bin", ChangeBatch(Array(chained().dropFirst(2))).encoded()),
            ("batch-revocation.bin", ChangeBatch(revocation()).encoded()),
        ]
    }

    /// A revocation as an engagement's key writes it (issue 31): the revoked site's last valid
    /// counter, that change's hash, and why, chained and signed at the end.
    public static func revocation() -> [Change] {
        let signer = try! ChangeSigner(rawRepresentation: Data(repeating: 0x3C, count: 32))
        let entity = EntityID.revocation(of: ben)!
        let fields: [(String, FieldValue)] = [("last_valid", .integer(2)), ("last_valid_hash", .text(String(repeating: "ab", count: 32))),
                                              ("reason", .text("Laptop stolen"))]
        var previous = ChangeHash.genesis
        return fields.enumerated().map { index, field in
            let (linked, hash) = signer.chain(Change(dot: Dot(site: signer.site, counter: UInt64(index + 1)),
                                                     hlc: HLCTimestamp(rawValue: 117663969324040300 + UInt64(index)), author: "fieldbook-server",
                                                     entity: entity, kind: .revocation, field: field.0, value: field.1),
                                              after: previous, head: index == fields.count - 1)
            previous = hash
            return linked
        }
    }

    /// A signed, hash-linked history of one site (format 4): links implicit inside the batch,
    /// explicit where a batch starts in the middle, one signature at the end of each write.
    public static func chained() -> [Change] {
        let signer = try! ChangeSigner(rawRepresentation: Data(repeating: 0x2A, count: 32))
        var previous = ChangeHash.genesis
        return changes().prefix(5).enumerated().map { index, change in
            let (linked, hash) = signer.chain(Change(dot: Dot(site: signer.site, counter: UInt64(index + 1)), hlc: change.hlc, author: change.author,
                                                     entity: change.entity, kind: change.kind, field: change.field, operation: change.operation,
                                                     value: change.value), after: previous, head: index == 2 || index == 4)
            previous = hash
            return linked
        }
    }

    /// A format 2 batch (no keys or signatures) of one change, byte by byte as documented in
    /// BinaryBatchCodec: older senders write it and readers keep accepting it.
    static let unsignedFormat2: Data = {
        let site: [UInt8] = [0x01, 0x93, 0xF0, 0x00, 0x00, 0x00, 0x70, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0A]
        var data = Data([2, 1])  // format, one site
        data.append(contentsOf: site)
        data.append(4)  // four strings
        for text in ["Fuzz Ana", "risk", "title", "Bias"] {
            data.append(UInt8(text.utf8.count))
            data.append(contentsOf: Array(text.utf8))
        }
        data.append(1)  // one change:
        data.append(contentsOf: [0, 1, 2] as [UInt8])  // site 0, counter 1, HLC delta +1 (zigzag)
        data.append(contentsOf: [0, 1, 1, 2] as [UInt8])  // author, entity ("risk" is an id too), kind, field
        data.append(contentsOf: [0, UInt8(ascii: "t"), 3] as [UInt8])  // set, text "Bias"
        data.append(0)  // supersedes nothing
        return data
    }()

    /// Pull pages (a middle page, the last page with the server's vector, an empty one) and
    /// pull requests, which the same target reads as JSON.
    public static func pullInputs() throws -> [(String, Data)] {
        let changes = changes()
        var vector = VersionVector()
        for change in changes { vector.insert(change.dot) }
        var gappy = VersionVector()
        for counter: UInt64 in [1, 2, 5, 9] { gappy.insert(Dot(site: SiteID(ana)!, counter: counter)) }
        return [
            ("page-middle.bin", PullPage(changes: Array(changes.prefix(3)), next: 3, vector: nil).encoded()),
            ("page-last.bin", PullPage(changes: Array(changes.dropFirst(3)), next: nil, vector: vector).encoded()),
            ("page-empty.bin", PullPage(changes: [], next: nil, vector: gappy).encoded()),
            ("page-segments.bin", PullPage(segments: [ChangeBatch(Array(chained().prefix(3))).encoded(), ChangeBatch(Array(chained().dropFirst(3))).encoded(),
                                                      ChangeBatch(changes).encodedLegacy()], count: 5 + changes.count, next: 7, vector: nil).encoded()),
            ("request-first.json", try Wire.jsonEncoder.encode(PullRequest(vector: VersionVector()))),
            ("request-next.json", try Wire.jsonEncoder.encode(PullRequest(vector: gappy, after: 3, limit: 100))),
        ]
    }

    /// Bundles: changes in the binary form with an evidence file, the same with JSON changes,
    /// and an empty one.
    public static func bundles() throws -> [(String, Data)] {
        let changes = changes()
        var vector = VersionVector()
        for change in changes { vector.insert(change.dot) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fieldbook-fuzz-seeds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let evidence = folder.appendingPathComponent("policy.txt")
        let policy = Data("Signed AI policy\n".utf8)
        try policy.write(to: evidence)
        let sha = "9a864a27a2b16fa4510a1faff6e5ecee58b6a8d57b384bcca74d648a0529a606"  // SHA-256 of `policy`

        func bundle(_ changes: [Change], objects: [(sha256: String, file: URL)], json: Bool) throws -> Data {
            let header = BundleHeader(format: BundleFormat.currentVersion, engagement: "fuzz-engagement", engagementName: "Fuzz engagement",
                                      sender: .init(site: ana, assessor: "Fuzz Ana"), vector: vector, base: VersionVector(),
                                      changeCount: changes.count, objectCount: objects.count)
            // The writer reads its change encoding from the environment (FIELDBOOK_BUNDLE_CHANGES).
            if json { setenv("FIELDBOOK_BUNDLE_CHANGES", "json", 1) } else { unsetenv("FIELDBOOK_BUNDLE_CHANGES") }
            defer { unsetenv("FIELDBOOK_BUNDLE_CHANGES") }
            let file = folder.appendingPathComponent("seed.fbbundle")
            try BundleWriter().write(to: file, header: header, changes: changes, objects: objects)
            return try Data(contentsOf: file)
        }
        return [
            ("bundle-binary.fbbundle", try bundle(changes, objects: [(sha, evidence)], json: false)),
            ("bundle-json.fbbundle", try bundle(changes, objects: [(sha, evidence)], json: true)),
            ("bundle-empty.fbbundle", try bundle([], objects: [], json: false)),
        ]
    }

    /// When FIELDBOOK_FUZZ_SEEDS names a folder, writes `seeds` into it and exits: how
    /// Scripts/fuzz.sh makes the seed corpus with the same build it fuzzes.
    public static func writeIfAsked(_ seeds: () throws -> [(String, Data)]) {
        guard let path = ProcessInfo.processInfo.environment["FIELDBOOK_FUZZ_SEEDS"], !path.isEmpty else { return }
        do {
            let folder = URL(fileURLWithPath: path, isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (name, data) in try seeds() { try data.write(to: folder.appendingPathComponent(name)) }
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("fuzz: cannot write the seeds to \(path): \(error)\n".utf8))
            exit(1)
        }
    }
}

import FieldbookReplica
import FieldbookSync
// FieldbookSync's own dependency, built with it; PullPage and PullRequest are defined there.
import FieldbookWire
import Foundation
import Testing

/// The decoders of bytes from outside (change batches, pull pages and requests, bundles)
/// against what the fuzzers kept: every input in Fixtures/fuzz-crashes/ (inputs that once
/// crashed or broke a property, written there by Scripts/fuzz.sh), the seed corpus in
/// Fuzz/corpus/ and Fixtures/bad-bundles/. Each decoder must return or throw on each of them.
/// A decoder replays them in a child process (an exit test), so an input that still crashes
/// fails its test and is named, and the rest of the run goes on. Then hand-made hostile inputs
/// that must be refused.
struct DecoderFuzzFixtureTests {
    enum Decoder: String, Codable, Sendable, CaseIterable {
        case changeBatch, pullPage, pullRequest, bundle, bundleHeader
    }

    /// The package root, from this file's place in it.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func inputs() -> [URL] {
        ["Fixtures/fuzz-crashes", "Fuzz/corpus", "Fixtures/bad-bundles"].flatMap { folder -> [URL] in
            let enumerator = FileManager.default.enumerator(at: root.appendingPathComponent(folder), includingPropertiesForKeys: [.isRegularFileKey])
            return (enumerator?.allObjects as? [URL] ?? []).filter { url in
                (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
                    && !url.lastPathComponent.hasPrefix(".") && url.lastPathComponent != "README.md"
            }
        }.sorted { $0.path < $1.path }
    }

    /// Runs one decoder on one file; whether it returns or throws does not matter here.
    static func decode(_ file: URL, with decoder: Decoder, scratch: URL) {
        switch decoder {
        case .changeBatch:
            _ = try? ChangeBatch.decode(Data(contentsOf: file))
        case .pullPage:
            _ = try? PullPage.decode(Data(contentsOf: file))
        case .pullRequest:
            _ = try? JSONDecoder().decode(PullRequest.self, from: Data(contentsOf: file))
        case .bundle:
            if let contents = try? BundleReader(scratch: scratch).read(file) {
                for url in contents.objects.values { try? FileManager.default.removeItem(at: url) }
            }
        case .bundleHeader:
            _ = try? BundleReader.header(of: file)
        }
    }

    @Test("every kept fuzz input and seed is read or refused by each decoder, never a crash", arguments: Decoder.allCases)
    func replay(_ decoder: Decoder) async {
        #expect(Self.inputs().count >= 20, "the seed corpus and fixtures are found from #filePath")
        // The child names each input here before decoding it, so after a crash the last name
        // is the input that caused it.
        let progress: String = FileManager.default.temporaryDirectory.appendingPathComponent("fb-fuzz-replay-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: progress) }
        await #expect(processExitsWith: .success) { [decoder, progress = progress as String] in
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fb-fuzz-replay-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: scratch) }
            for file in DecoderFuzzFixtureTests.inputs() {
                try Data(file.path.utf8).write(to: URL(fileURLWithPath: progress))
                DecoderFuzzFixtureTests.decode(file, with: decoder, scratch: scratch)
            }
            try Data("done".utf8).write(to: URL(fileURLWithPath: progress))
        }
        let last = (try? String(contentsOfFile: progress, encoding: .utf8)) ?? "before the first input"
        if last != "done" {
            Issue.record("\(decoder.rawValue) crashed on \(last.replacingOccurrences(of: Self.root.path + "/", with: ""))")
        }
    }

    /// The binary batch formats this build reads: the current one and format 2.
    static let binaryFormats = Array(Set([UInt8(2), UInt8(ChangeBatch.currentFormat)])).sorted()

    @Test("truncated and over-long varints are refused")
    func truncatedVarints() {
        for format in Self.binaryFormats {
            let inputs: [[UInt8]] = [
                [format],  // no site count
                [format, 0x80],  // a site count cut after its first byte
                [format, 0xFF, 0xFF],
                [format] + Array(repeating: 0xFF, count: 10) + [0x01],  // eleven bytes: longer than any UInt64
                [format, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02],  // 2^64 and more
                [format, 0, 0, 0x81],  // cut in the count after the string table
                [format, 0, 0, 0, 0x80],
            ]
            for bytes in inputs {
                #expect(throws: ReplicaError.self, "\(bytes)") { try ChangeBatch.decode(Data(bytes)) }
            }
        }
    }

    @Test("huge declared counts and lengths are refused without allocating for them")
    func hugeDeclaredCounts() throws {
        for format in Self.binaryFormats {
            let inputs: [[UInt8]] = [
                [format, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F],  // 2^32 - 1 sites: over the limit
                [format, 0x81, 0xAD, 0xE2, 0x04],  // 10,000,001 sites: just over it
                [format, 0x80, 0xAD, 0xE2, 0x04],  // 10,000,000 sites, and not one byte of them
                [format, 0, 0x80, 0x89, 0x7A],  // 2,000,000 strings, none there
                [format, 0, 0x01, 0xFF, 0xFF, 0x7F],  // a string of 2 MiB, absent
                [format, 0, 0, 0x80, 0x89, 0x7A],  // 2,000,000 keys or changes, none there
            ]
            for bytes in inputs {
                #expect(throws: ReplicaError.self, "\(bytes)") { try ChangeBatch.decode(Data(bytes)) }
            }
        }
        // Pull pages whose meta claims 4 GiB, is not JSON, or announces changes the page does not hold.
        #expect(throws: ReplicaError.self) { try PullPage.decode(Data([0xFF, 0xFF, 0xFF, 0xFF]) + Data("{}".utf8)) }
        #expect(throws: ReplicaError.self) { try PullPage.decode(Data([0, 0, 0, 2]) + Data("{[".utf8) + ChangeBatch([]).encoded()) }
        let empty = PullPage(changes: [], next: nil, vector: nil).encoded()
        let meta = Data(#"{"count":5}"#.utf8)
        var lying = Data(withUnsafeBytes(of: UInt32(meta.count).bigEndian, Array.init))
        lying.append(meta)
        lying.append(empty.dropFirst(4 + Int(empty.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) })))
        #expect(throws: ReplicaError.self) { try PullPage.decode(lying) }

        // Bundle records declaring more than the limits allow, refused before a byte is read.
        let good = try Data(contentsOf: Self.root.appendingPathComponent("Fuzz/corpus/FuzzBundle/bundle-empty.fbbundle"))
        let headerLength = Int(good[13..<21].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        let afterHeader = 21 + headerLength
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fb-fuzz-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (type, length) in [(UInt8(ascii: "C"), UInt64(1) << 40), (UInt8(ascii: "O"), UInt64.max), (UInt8(ascii: "O"), 10), (UInt8(ascii: "H"), 1 << 30)] {
            var bytes = good.prefix(afterHeader)
            bytes.append(type)
            bytes.append(contentsOf: withUnsafeBytes(of: length.bigEndian, Array.init))
            bytes.append(Data(repeating: 0x30, count: 100))
            let file = folder.appendingPathComponent("hostile.fbbundle")
            try bytes.write(to: file)
            #expect(throws: BundleError.self, "record \(type) of \(length) bytes") { try BundleReader(scratch: folder).read(file) }
        }
    }

    @Test("deeply nested JSON is refused, not a stack overflow")
    func deeplyNestedJSON() {
        let depth = 100_000
        let arrays = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let objects = String(repeating: #"{"c":"#, count: depth) + "1" + String(repeating: "}", count: depth)
        for nested in [arrays, objects] {
            #expect(throws: (any Error).self) {
                try JSONDecoder().decode(PullRequest.self, from: Data(#"{"after":0,"limit":1,"vector":\#(nested)}"#.utf8))
            }
            #expect(throws: ReplicaError.self) { try ChangeBatch.decode(Data(#"{"format":1,"changes":\#(nested)}"#.utf8)) }
        }
    }

    @Test("invalid UTF-8 in strings is refused")
    func invalidUTF8() throws {
        for format in Self.binaryFormats {
            // One site, one string of two bytes that are not UTF-8.
            var bytes: [UInt8] = [format, 1] + Array(repeating: 0x11, count: 16)
            bytes += [1, 2, 0xC3, 0x28]
            #expect(throws: ReplicaError.self) { try ChangeBatch.decode(Data(bytes)) }
        }
        // A JSON batch whose author holds the byte 0xFF.
        var broken = Data(#"{"format":1,"changes":[{"a":"Ana "#.utf8)
        broken.append(0xFF)
        broken.append(Data(#"","d":"0193f000-0000-7000-8000-00000000000a/1","e":"risk","f":"title","h":1,"k":"risk","v":{"t":"x"}}]}"#.utf8))
        #expect(throws: ReplicaError.self) { try ChangeBatch.decode(broken) }
        let request = Data(#"{"after":0,"limit":1,"vector":{""#.utf8) + Data([0xC3, 0x28]) + Data(#"":{"c":1}}}"#.utf8)
        #expect(throws: (any Error).self) { try JSONDecoder().decode(PullRequest.self, from: request) }
    }
}

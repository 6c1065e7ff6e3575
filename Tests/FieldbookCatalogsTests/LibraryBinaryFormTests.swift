import Foundation
import Testing
@testable import FieldbookCatalogs

/// `LibraryBinaryForm`, the parsed-library cache's format: every library reads back equal, and
/// bytes it does not recognise whole (cut short, damaged, another format) read as nil, never as
/// a different library and never as a crash.
struct LibraryBinaryFormTests {
    static let libraries = ["framework-sample.yaml", "mapping-plural.yaml", "mapping-singular.yaml"]

    @Test("every fixture library reads back equal to what was parsed", arguments: libraries)
    func roundTrip(name: String) throws {
        let document = try LibraryReaderTests.read(name)
        #expect(LibraryBinaryForm.decode(LibraryBinaryForm.encode(document)) == document)
    }

    @Test("a form cut short at any byte, or with bytes after it, is refused")
    func truncated() throws {
        let encoded = LibraryBinaryForm.encode(try LibraryReaderTests.read("mapping-plural.yaml"))
        for length in 0..<encoded.count {
            #expect(LibraryBinaryForm.decode(encoded.prefix(length)) == nil, "cut at \(length)")
        }
        #expect(LibraryBinaryForm.decode(encoded + Data([0])) == nil)
        #expect(LibraryBinaryForm.decode(Data("FBLIB2".utf8) + encoded.dropFirst(6)) == nil)
    }

    @Test("a flipped byte never crashes the reader; what it reads is a whole library or nothing")
    func damaged() throws {
        let document = try LibraryReaderTests.read("framework-sample.yaml")
        let encoded = LibraryBinaryForm.encode(document)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            var damaged = encoded
            let index = Int.random(in: 0..<damaged.count, using: &generator)
            damaged[index] ^= UInt8.random(in: 1...255, using: &generator)
            // A flip inside a string's bytes can read as another string (the cache keys entries
            // by the canonical bytes' hash, so such an entry is never asked for other bytes),
            // but only ever as the one library those bytes encode.
            if let read = LibraryBinaryForm.decode(damaged) { #expect(LibraryBinaryForm.encode(read) == damaged) }
        }
    }
}

import Foundation

/// Every CRC-32 a ZIP archive stores for each entry, read from the archive's own bytes: the
/// central directory's, and the local header's unless that header defers it to a data
/// descriptor. ZIPFoundation checks only one of them (`Entry.checksum`); tools differ in which
/// they trust (Python's zipfile the central directory's, a streaming extractor the local
/// header's), so a package verifies only when all of them match the entry's bytes.
enum StoredChecksums {
    /// The stored CRC-32s of each central directory record, in the archive's order (the order
    /// ZIPFoundation lists entries in); nil when the archive's directory cannot be walked here
    /// (ZIPFoundation's own reading then stands alone).
    static func read(_ url: URL) -> [[UInt32]]? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        guard let size = try? handle.seekToEnd(), size >= 22 else { return nil }
        func bytes(at offset: UInt64, _ count: Int) -> [UInt8]? {
            guard offset <= size, UInt64(count) <= size - offset else { return nil }
            guard (try? handle.seek(toOffset: offset)) != nil, let data = try? handle.read(upToCount: count), data.count == count else { return nil }
            return [UInt8](data)
        }
        func integer(_ bytes: [UInt8], _ at: Int, _ width: Int) -> UInt64 {
            (0..<width).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
        }
        // The end of central directory record: within the last 64 KiB + 22 bytes.
        let tailLength = Int(min(size, 65_557))
        guard let tail = bytes(at: size - UInt64(tailLength), tailLength) else { return nil }
        guard let end = stride(from: tailLength - 22, through: 0, by: -1).first(where: { integer(tail, $0, 4) == 0x0605_4B50 }) else { return nil }
        var count = integer(tail, end + 10, 2)
        var directory = integer(tail, end + 16, 4)
        if count == 0xFFFF || directory == 0xFFFF_FFFF {
            // ZIP64: the locator just before the record names the ZIP64 end record.
            let locatorOffset = size - UInt64(tailLength) + UInt64(end)
            guard locatorOffset >= 20, let locator = bytes(at: locatorOffset - 20, 20), integer(locator, 0, 4) == 0x0706_4B50,
                  let record = bytes(at: integer(locator, 8, 8), 56), integer(record, 0, 4) == 0x0606_4B50 else { return nil }
            count = integer(record, 32, 8)
            directory = integer(record, 48, 8)
        }
        guard count <= UInt64(PackageArchiveReader.maximumEntries) else { return nil }
        var result: [[UInt32]] = []
        var offset = directory
        for _ in 0..<count {
            guard let header = bytes(at: offset, 46), integer(header, 0, 4) == 0x0201_4B50 else { return nil }
            let nameLength = Int(integer(header, 28, 2)), extraLength = Int(integer(header, 30, 2)), commentLength = Int(integer(header, 32, 2))
            let central = UInt32(integer(header, 16, 4))
            var local = integer(header, 42, 4)
            if local == 0xFFFF_FFFF {
                guard let extra = bytes(at: offset + 46 + UInt64(nameLength), extraLength),
                      let found = zip64LocalOffset(extra, header: header, integer) else { return nil }
                local = found
            }
            var stored = [central]
            guard let localHeader = bytes(at: local, 30), integer(localHeader, 0, 4) == 0x0403_4B50 else { return nil }
            if integer(localHeader, 6, 2) & 0x8 == 0 { stored.append(UInt32(integer(localHeader, 14, 4))) }
            result.append(stored)
            offset += 46 + UInt64(nameLength + extraLength + commentLength)
        }
        return result
    }

    /// The local header offset in a central record's ZIP64 extra field (after the sizes it also holds).
    private static func zip64LocalOffset(_ extra: [UInt8], header: [UInt8], _ integer: ([UInt8], Int, Int) -> UInt64) -> UInt64? {
        var position = 0
        while position + 4 <= extra.count {
            let id = integer(extra, position, 2), length = Int(integer(extra, position + 2, 2))
            guard position + 4 + length <= extra.count else { return nil }
            if id == 0x0001 {
                var field = position + 4
                if integer(header, 24, 4) == 0xFFFF_FFFF { field += 8 }
                if integer(header, 20, 4) == 0xFFFF_FFFF { field += 8 }
                guard field + 8 <= position + 4 + length else { return nil }
                return integer(extra, field, 8)
            }
            position += 4 + length
        }
        return nil
    }
}

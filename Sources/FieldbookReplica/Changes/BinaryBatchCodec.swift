import FieldbookModel
import Foundation

/// Formats 2, 3 and 4 of a change batch: a compact binary form for the wire and for bundles.
///
///     u8 format (4; 3 and 2 are still read)
///     varint site count,   then 16 bytes per site (UUID)
///     varint string count, then per string: varint byte length, UTF-8 bytes
///     (3, 4) varint key count, then per key: varint site index, 32 bytes Ed25519 public key
///     varint change count, then per change:
///         varint site index, varint counter, zigzag varint HLC delta from the previous change,
///         varint author, entity, kind and field string indexes, u8 operation,
///         u8 value tag (t i e d l b) and its payload (string index, zigzag varint, or u8),
///         varint supersedes count, then per dot: varint site index, varint counter,
///         (3) u8 signature length (0 or 64), the signature
///         (4) u8 flags: 1 chained, 2 link follows, 4 signature follows; then the link
///             (32 bytes) and the signature (64 bytes) when flagged
///
/// Site ids and strings (authors, entity ids, kinds, fields, values) are written once per
/// batch, so a change costs about twenty bytes. In format 4 a chained change's link to its
/// predecessor is implicit when the predecessor is the site's previous change in the batch
/// (the decoder computes its hash), and a signature travels only on the last change of each
/// run of a site's changes: that one covers the run (`ChainVerifier`). A legacy change keeps
/// its own signature. Decoding checks every index and length against the data, so hostile
/// input fails cleanly.
enum BinaryBatchCodec {
    static let format: UInt8 = 4
    static let legacyFormat: UInt8 = 3
    static let unsignedFormat: UInt8 = 2
    static let maximumCount = 10_000_000

    /// The site and string tables an encoder fills as it writes: each value once, by index.
    private struct Tables {
        private var siteIndex: [SiteID: Int] = [:], stringIndex: [String: Int] = [:]
        private(set) var sites: [SiteID] = [], strings: [String] = []

        mutating func site(_ id: SiteID) -> Int {
            if let index = siteIndex[id] { return index }
            siteIndex[id] = sites.count
            sites.append(id)
            return sites.count - 1
        }

        mutating func string(_ text: String) -> Int {
            if let index = stringIndex[text] { return index }
            stringIndex[text] = strings.count
            strings.append(text)
            return strings.count - 1
        }
    }

    private enum Flag {
        static let chained: UInt8 = 1, link: UInt8 = 2, signature: UInt8 = 4
    }

    /// Format 4, as a workspace stores a segment of its log (`SegmentStore`): every chained
    /// change's link written out and every signature it holds kept, so the segment decodes to
    /// exactly the changes stored and `log --verify` checks each link as received; no keys
    /// (the workspace keeps them once per site). `hashes[i]` is `changes[i]`'s hash.
    static func encodeSegment(_ changes: ArraySlice<Change>) -> Data {
        var tables = Tables()
        var body: [UInt8] = []
        body.reserveCapacity(changes.count * 60)
        var previousHLC: UInt64 = 0
        for change in changes {
            appendContent(change, siteIndex: tables.site(change.dot.site), previousHLC: &previousHLC, to: &body, tables: &tables)
            var flags: UInt8 = 0
            let chained = change.isChained
            if chained { flags |= Flag.chained | Flag.link }
            if change.signature.count == 64 { flags |= Flag.signature }
            body.append(flags)
            if chained { body.append(contentsOf: change.prev) }
            if change.signature.count == 64 { body.append(contentsOf: change.signature) }
        }
        return assemble(format: format, sites: tables.sites, strings: tables.strings, keys: [:], count: changes.count, body: body)
    }

    /// Format 4.
    static func encode(_ changes: [Change]) -> Data {
        var tables = Tables()
        let dots = Set(changes.lazy.map(\.dot))
        // Each site's previous change in this batch: its counter and hash, to leave out a
        // link the reader can recompute (only when it is exactly that hash).
        var last: [SiteID: (counter: UInt64, hash: Data)] = [:]
        var keys: [Int: Data] = [:]
        var body: [UInt8] = []
        body.reserveCapacity(changes.count * 24)
        var previousHLC: UInt64 = 0
        for change in changes {
            let siteIndex = tables.site(change.dot.site)
            appendContent(change, siteIndex: siteIndex, previousHLC: &previousHLC, to: &body, tables: &tables)
            var flags: UInt8 = 0
            var link = false, signature = false
            if change.isChained {
                flags |= Flag.chained
                if change.dot.counter == 1 {
                    link = change.prev != ChangeHash.genesis
                } else if let previous = last[change.dot.site], previous.counter == change.dot.counter - 1 {
                    link = previous.hash != change.prev
                } else {
                    link = true
                }
                // A run's head, and a checkpoint (so every holder can cut the history again).
                signature = change.signature.count == 64 && (change.dot.counter % ChangeSigner.checkpointInterval == 0
                    || !dots.contains(Dot(site: change.dot.site, counter: change.dot.counter + 1)))
            } else {
                signature = change.signature.count == 64
            }
            if link { flags |= Flag.link }
            if signature {
                flags |= Flag.signature
                if change.publicKey.count == 32 { keys[siteIndex] = change.publicKey }
            }
            body.append(flags)
            if link { body.append(contentsOf: change.prev) }
            if signature { body.append(contentsOf: change.signature) }
            last[change.dot.site] = (change.dot.counter, ChangeHash.of(change))
        }
        return assemble(format: format, sites: tables.sites, strings: tables.strings, keys: keys, count: changes.count, body: body)
    }

    /// Everything of a change but its signature and link, as formats 2 to 4 write it.
    private static func appendContent(_ change: Change, siteIndex: Int, previousHLC: inout UInt64, to body: inout [UInt8],
                                      tables: inout Tables) {
        body.appendVarint(UInt64(siteIndex))
        body.appendVarint(change.dot.counter)
        body.appendVarint(zigzag(Int64(bitPattern: change.hlc.rawValue &- previousHLC)))
        previousHLC = change.hlc.rawValue
        body.appendVarint(UInt64(tables.string(change.author)))
        body.appendVarint(UInt64(tables.string(change.entity.rawValue)))
        body.appendVarint(UInt64(tables.string(change.kind.rawValue)))
        body.appendVarint(UInt64(tables.string(change.field)))
        body.append(change.operation == .set ? 0 : change.operation == .add ? 1 : 2)
        body.append(change.value.tag.rawValue)
        switch change.value.payload {
        case .text(let s): body.appendVarint(UInt64(tables.string(s)))
        case .integer(let n): body.appendVarint(zigzag(n))
        case .flag(let b): body.append(b ? 1 : 0)
        }
        body.appendVarint(UInt64(change.supersedes.count))
        for dot in change.supersedes {
            body.appendVarint(UInt64(tables.site(dot.site)))
            body.appendVarint(dot.counter)
        }
    }

    private static func assemble(format: UInt8, sites: [SiteID], strings: [String], keys: [Int: Data]?, count: Int, body: [UInt8]) -> Data {
        var data: [UInt8] = [format]
        data.reserveCapacity(body.count + 64 + sites.count * 16 + strings.count * 24)
        data.appendVarint(UInt64(sites.count))
        for id in sites { withUnsafeBytes(of: id.uuid.uuid) { data.append(contentsOf: $0) } }
        data.appendVarint(UInt64(strings.count))
        for text in strings {
            let bytes = text.utf8
            data.appendVarint(UInt64(bytes.count))
            data.append(contentsOf: bytes)
        }
        if let keys {
            data.appendVarint(UInt64(keys.count))
            for (index, key) in keys.sorted(by: { $0.key < $1.key }) {
                data.appendVarint(UInt64(index))
                data.append(contentsOf: key)
            }
        }
        data.appendVarint(UInt64(count))
        data.append(contentsOf: body)
        return Data(data)
    }

    /// Format 3, as releases before hash-linked history wrote it (tests and fixtures).
    static func encodeLegacy(_ changes: [Change]) -> Data {
        encode(changes, signed: true)
    }

    /// One change without key or signature: the bytes its signature covers.
    static func encodeUnsigned(_ change: Change) -> Data {
        encode([change], signed: false)
    }

    private static func encode(_ changes: [Change], signed: Bool) -> Data {
        var tables = Tables()
        var body: [UInt8] = []
        var previousHLC: UInt64 = 0
        var keys: [Int: Data] = [:]
        for change in changes {
            let siteIndex = tables.site(change.dot.site)
            appendContent(change, siteIndex: siteIndex, previousHLC: &previousHLC, to: &body, tables: &tables)
            if signed {
                body.append(UInt8(change.signature.count))
                body.append(contentsOf: change.signature)
                if !change.publicKey.isEmpty { keys[siteIndex] = change.publicKey }
            }
        }
        return assemble(format: signed ? legacyFormat : unsignedFormat, sites: tables.sites, strings: tables.strings,
                        keys: signed ? keys : nil, count: changes.count, body: body)
    }

    static func decode(_ data: Data) throws(ReplicaError) -> [Change] {
        try decodeWithHashes(data).changes
    }

    /// The changes, and for format 4 their hashes (computed anyway to restore implicit links).
    /// `hashing` false (a stored segment, whose links are all written out): no hash is computed
    /// and a chained change without its link is malformed.
    static func decodeWithHashes(_ data: Data, hashing: Bool = true) throws(ReplicaError) -> (changes: [Change], hashes: [Data]?) {
        var reader = ByteReader(data)
        let version = try reader.byte()
        guard version == format || version == legacyFormat || version == unsignedFormat else { throw .malformed("not a binary change batch") }
        let siteCount = try reader.count()
        var sites: [SiteID] = []
        for _ in 0..<siteCount {
            let raw = [UInt8](try reader.bytes(16))
            let uuid = UUID(uuid: (raw[0], raw[1], raw[2], raw[3], raw[4], raw[5], raw[6], raw[7],
                                   raw[8], raw[9], raw[10], raw[11], raw[12], raw[13], raw[14], raw[15]))
            sites.append(SiteID(uuid))
        }
        guard Set(sites).count == sites.count else { throw .malformed("a site appears twice in the site table") }
        let stringCount = try reader.count()
        var strings: [String] = []
        for _ in 0..<stringCount {
            let length = try reader.count()
            guard let text = String(data: try reader.bytes(length), encoding: .utf8) else { throw .malformed("a string is not UTF-8") }
            strings.append(text)
        }
        func site(_ index: Int) throws(ReplicaError) -> SiteID {
            guard index < sites.count else { throw .malformed("a site index is out of range") }
            return sites[index]
        }
        func string(_ index: Int) throws(ReplicaError) -> String {
            guard index < strings.count else { throw .malformed("a string index is out of range") }
            return strings[index]
        }
        // A batch names an entity in several changes and a kind in most: each string is checked
        // once as an id or a kind, not once per change.
        var entityIDs: [Int: EntityID] = [:]
        func entityID(_ index: Int) throws(ReplicaError) -> EntityID {
            if let known = entityIDs[index] { return known }
            let text = try string(index)
            guard let entity = EntityID(text) else { throw .malformed("'\(text.prefix(40))' is not a valid entity id") }
            entityIDs[index] = entity
            return entity
        }
        var kinds: [Int: EntityKind] = [:]
        func entityKind(_ index: Int) throws(ReplicaError) -> EntityKind {
            if let known = kinds[index] { return known }
            let text = try string(index)
            guard let kind = EntityKind(rawValue: text) else { throw .malformed("unknown entity kind '\(text.prefix(40))'") }
            kinds[index] = kind
            return kind
        }
        var keys: [Int: Data] = [:]
        if version != unsignedFormat {
            for _ in 0..<(try reader.count()) {
                let index = try reader.count()
                guard index < sites.count else { throw .malformed("a key's site index is out of range") }
                guard keys[index] == nil else { throw .malformed("a site has two keys") }
                keys[index] = Data(try reader.bytes(32))
            }
        }
        let changeCount = try reader.count()
        var changes: [Change] = []
        changes.reserveCapacity(min(changeCount, 100_000))
        var hashes: [Data] = []
        var last: [Int: (counter: UInt64, hash: Data)] = [:]
        var previousHLC: UInt64 = 0
        var hashBuffer: [UInt8] = []
        hashBuffer.reserveCapacity(256)
        for _ in 0..<changeCount {
            let siteIndex = try reader.count()
            let dotSite = try site(siteIndex)
            let counter = try reader.varint()
            guard counter > 0, counter <= VersionVector.maximumCounter else { throw .malformed("a change counter is 0 or out of range") }
            let hlc = previousHLC &+ UInt64(bitPattern: unzigzag(try reader.varint()))
            previousHLC = hlc
            let author = try string(try reader.count())
            let entity = try entityID(try reader.count())
            let kind = try entityKind(try reader.count())
            let field = try string(try reader.count())
            let operation: Operation
            switch try reader.byte() {
            case 0: operation = .set
            case 1: operation = .add
            case 2: operation = .remove
            default: throw .malformed("unknown operation")
            }
            guard let tag = ValueTag(rawValue: try reader.byte()) else { throw .malformed("unknown value type") }
            let payload: ValuePayload
            switch tag.payloadKind {
            case .text: payload = .text(try string(try reader.count()))
            case .integer: payload = .integer(unzigzag(try reader.varint()))
            case .flag:
                let flag = try reader.byte()
                guard flag <= 1 else { throw .malformed("a boolean is neither 0 nor 1") }
                payload = .flag(flag == 1)
            }
            let value = FieldValue(tag: tag, payload: payload)!
            let supersededCount = try reader.count()
            var supersedes: [Dot] = []
            for _ in 0..<supersededCount {
                let dotSite = try site(try reader.count())
                let dotCounter = try reader.varint()
                guard dotCounter > 0, dotCounter <= VersionVector.maximumCounter else { throw .malformed("a superseded counter is 0 or out of range") }
                supersedes.append(Dot(site: dotSite, counter: dotCounter))
            }
            var signature = Data()
            var prev = Data()
            if version == legacyFormat {
                let length = Int(try reader.byte())
                guard length == 0 || length == 64 else { throw .malformed("a signature is neither absent nor 64 bytes") }
                signature = Data(try reader.bytes(length))
            } else if version == format {
                let flags = try reader.byte()
                guard flags & ~(Flag.chained | Flag.link | Flag.signature) == 0, flags & Flag.chained != 0 || flags & Flag.link == 0 else {
                    throw .malformed("a change's flags are invalid")
                }
                if flags & Flag.link != 0 {
                    prev = Data(try reader.bytes(ChangeHash.length))
                } else if flags & Flag.chained != 0 {
                    if counter == 1 {
                        prev = ChangeHash.genesis
                    } else {
                        guard hashing, let before = last[siteIndex], before.counter == counter - 1 else {
                            throw .malformed("a change's link to the one before it is missing")
                        }
                        prev = before.hash
                    }
                }
                if flags & Flag.signature != 0 { signature = Data(try reader.bytes(64)) }
            }
            let change = Change(dot: Dot(site: dotSite, counter: counter), hlc: HLCTimestamp(rawValue: hlc), author: author,
                                entity: entity, kind: kind, field: field, operation: operation, value: value, supersedes: supersedes,
                                publicKey: keys[siteIndex] ?? Data(), signature: signature, prev: prev)
            if version == format && hashing {
                let hash = ChangeHash.of(change, buffer: &hashBuffer)
                hashes.append(hash)
                last[siteIndex] = (counter, hash)
            }
            changes.append(change)
        }
        guard reader.atEnd else { throw .malformed("bytes after the last change") }
        return (changes, version == format && hashing ? hashes : nil)
    }

    static func zigzag(_ n: Int64) -> UInt64 { UInt64(bitPattern: (n << 1) ^ (n >> 63)) }
    static func unzigzag(_ n: UInt64) -> Int64 { Int64(bitPattern: n >> 1) ^ -Int64(bitPattern: n & 1) }
}

/// Bounds-checked reading of a byte buffer, copied once into an array: reading a byte of an
/// array is an index, of a `Data` a switch over its representations (a received page reads
/// some sixty bytes a change).
struct ByteReader {
    private let data: [UInt8]
    private var offset = 0

    init(_ data: Data) {
        self.data = [UInt8](data)
    }

    var atEnd: Bool { offset == data.count }

    mutating func byte() throws(ReplicaError) -> UInt8 {
        guard offset < data.count else { throw .malformed("the change batch ends early") }
        defer { offset += 1 }
        return data[offset]
    }

    mutating func bytes(_ count: Int) throws(ReplicaError) -> Data {
        guard count >= 0, data.count - offset >= count else { throw .malformed("the change batch ends early") }
        defer { offset += count }
        return Data(data[offset..<offset + count])
    }

    mutating func varint() throws(ReplicaError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64, shift < 63 || next <= 1 else { throw .malformed("a number is too long") }
            result |= UInt64(next & 0x7F) << shift
            if next & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// A count or index, bounded so a hostile number cannot ask for a huge allocation (an
    /// index is then checked against its table, a count fails at the first missing byte).
    mutating func count() throws(ReplicaError) -> Int {
        let value = try varint()
        guard value <= UInt64(BinaryBatchCodec.maximumCount) else { throw .malformed("a count of \(value) is out of range") }
        return Int(value)
    }
}

extension RangeReplaceableCollection where Element == UInt8 {
    mutating func appendVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        append(UInt8(value))
    }
}

import Crypto
import FieldbookModel
import Foundation

/// The SHA-256 a change is known by in its site's hash chain: over a domain tag, the change's
/// content in a fixed layout, and its `prev` link. Because each change names the hash of the
/// one before it, a signature over one change's hash covers its whole history (see
/// `ChainVerifier`).
///
///     "fieldbook-change-v2\n" | site (16 bytes) | counter (u64 BE) | HLC (u64 BE)
///     | author | entity | kind | field   (each: u32 BE byte length, UTF-8)
///     | operation (u8) | value tag (u8, t i e d l b) and payload (string as above, i64 BE, or u8)
///     | supersedes count (u32 BE), then per dot: site (16 bytes), counter (u64 BE)
///     | prev (0 or 32 bytes)
///
/// A legacy change (no `prev`) hashes the same way with nothing at the end, so a chain may
/// start after a site's legacy changes.
public enum ChangeHash {
    /// Bytes in a hash (SHA-256).
    public static let length = 32
    /// The link of a site's first change.
    public static let genesis = Data(repeating: 0, count: length)
    static let domain = Array("fieldbook-change-v2\n".utf8)

    /// The change's hash, over the layout above.
    public static func of(_ change: Change) -> Data {
        var bytes: [UInt8] = []
        // Enough for the fixed part and a typical value; not the value's description, which
        // would build a string per change only to size the buffer.
        bytes.reserveCapacity(256)
        return of(change, buffer: &bytes)
    }

    /// The same, laying the bytes out in `buffer` (emptied first): a decoder hashing a whole
    /// batch reuses one buffer instead of allocating one per change.
    static func of(_ change: Change, buffer bytes: inout [UInt8]) -> Data {
        bytes.removeAll(keepingCapacity: true)
        bytes += domain
        appendSite(change.dot.site, to: &bytes)
        append(change.dot.counter, to: &bytes)
        append(change.hlc.rawValue, to: &bytes)
        append(change.author, to: &bytes)
        append(change.entity.rawValue, to: &bytes)
        append(change.kind.rawValue, to: &bytes)
        append(change.field, to: &bytes)
        bytes.append(change.operation == .set ? 0 : change.operation == .add ? 1 : 2)
        bytes.append(change.value.tag.rawValue)
        switch change.value.payload {
        case .text(let s): append(s, to: &bytes)
        case .integer(let n): append(UInt64(bitPattern: n), to: &bytes)
        case .flag(let b): bytes.append(b ? 1 : 0)
        }
        append32(UInt32(change.supersedes.count), to: &bytes)
        for dot in change.supersedes {
            appendSite(dot.site, to: &bytes)
            append(dot.counter, to: &bytes)
        }
        bytes += change.prev
        return Data(SHA256.hash(data: bytes))
    }

    private static func appendSite(_ site: SiteID, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: site.uuid.uuid) { bytes.append(contentsOf: $0) }
    }

    private static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    private static func append32(_ value: UInt32, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    private static func append(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            append32(UInt32(utf8.count), to: &bytes)
            bytes.append(contentsOf: utf8)
        }
    }
}

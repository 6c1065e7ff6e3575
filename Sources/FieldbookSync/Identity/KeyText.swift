import Crypto
import Foundation

/// The text form of a 32-byte key: a prefix that says what it is (`fbr1` a recipient, `fbs1` a
/// secret identity), then lowercase base32 (RFC 4648, no padding) of the key and a 4-byte
/// checksum, SHA-256(prefix || key)'s first bytes. So a key read aloud, retyped or cut short
/// is refused instead of sealing for nobody. A recipient is 62 characters.
enum KeyText {
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)
    static let checksumBytes = 4
    /// Characters in a key's text: the prefix plus base32 of 36 bytes.
    static func length(prefix: String) -> Int { prefix.count + (8 * (32 + checksumBytes) + 4) / 5 }

    /// What is wrong with a text that should hold a key, in words that end a sentence.
    enum Problem: Error, Equatable {
        case prefix, length(Int), character(Character), checksum
    }

    static func encode(_ key: Data, prefix: String) -> String {
        prefix + base32(key + checksum(key, prefix: prefix))
    }

    static func decode(_ text: String, prefix: String) throws(Problem) -> Data {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard text.hasPrefix(prefix) else { throw .prefix }
        guard text.count == length(prefix: prefix) else { throw .length(text.count) }
        var bits = 0, value = 0
        var bytes = Data()
        for character in text.dropFirst(prefix.count) {
            guard let ascii = character.asciiValue, let digit = alphabet.firstIndex(of: ascii) else { throw .character(character) }
            value = (value << 5 | digit) & 0xFFFF
            bits += 5
            if bits >= 8 {
                bits -= 8
                bytes.append(UInt8(truncatingIfNeeded: value >> bits))
            }
        }
        let key = bytes.prefix(32)
        // The last character carries two spare bits: only the canonical text is the key's.
        guard bytes.count == 32 + checksumBytes, bytes.suffix(checksumBytes) == checksum(key, prefix: prefix),
              encode(Data(key), prefix: prefix) == text else { throw .checksum }
        return Data(key)
    }

    private static func checksum(_ key: Data, prefix: String) -> Data {
        Data(SHA256.hash(data: Data(prefix.utf8) + key).prefix(checksumBytes))
    }

    private static func base32(_ data: Data) -> String {
        var text: [UInt8] = []
        var bits = 0, value = 0
        for byte in data {
            value = (value << 8 | Int(byte)) & 0xFFFF
            bits += 8
            while bits >= 5 {
                bits -= 5
                text.append(alphabet[(value >> bits) & 31])
            }
        }
        if bits > 0 { text.append(alphabet[(value << (5 - bits)) & 31]) }
        return String(decoding: text, as: UTF8.self)
    }
}

import FieldbookModel
import Foundation

/// Time-sortable ids (RFC 9562 version 7) for risks, evidence, findings and engagements,
/// made on the writing machine: 48 bits of Unix milliseconds, then random bits.
public enum UUIDv7 {
    public static func make(milliseconds: UInt64 = UInt64(Date().timeIntervalSince1970 * 1000)) -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index))) }
        bytes[6] = (bytes[6] & 0x0F) | 0x70
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return Hex.uuid(bytes)
    }
}

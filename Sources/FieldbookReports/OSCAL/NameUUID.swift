import Crypto
import FieldbookModel
import Foundation

/// Name-based UUIDs in RFC 4122's version 5 layout (SHA-1), over a Fieldbook-scoped name rather
/// than an RFC 4122 namespace UUID: stable across exports of the same engagement, which is what
/// OSCAL asks of them. (Hashing under a namespace UUID would change every published id.)
enum NameUUID {
    static func make(namespace: String, name: String) -> String {
        var bytes = Array(Insecure.SHA1.hash(data: Data("fieldbook:\(namespace)/\(name)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return Hex.uuid(bytes)
    }
}

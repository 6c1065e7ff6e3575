import FieldbookReplica
import Foundation

/// Everything the CLI prints goes through here: documents to stdout, errors to stderr.
enum Terminal {
    static func print(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        let line = text.hasPrefix("Error:") ? text : "Error: \(text)"
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// A note on stderr that does not stop the command (a pinned library not here yet).
    static func note(_ text: String) {
        FileHandle.standardError.write(Data(("Note: " + text + "\n").utf8))
    }

    /// Prints one JSON document: sorted keys, so the same state always prints the same bytes.
    static func printJSON<T: Encodable>(_ value: T) throws {
        print(try JSONText.encode(value))
    }
}

enum JSONText {
    static func encode<T: Encodable>(_ value: T, pretty: Bool = true) throws -> String {
        try JSONDocument.text(value, pretty ? .readable : .compact)
    }
}

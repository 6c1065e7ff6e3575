import Foundation
import Yams

/// Typed reads of one YAML mapping of a library, each refusal naming the file, the place and the
/// field. Unknown keys are never looked at: the format grows, and a newer field must not stop an
/// older Fieldbook from reading the rest.
///
/// Scalars are read by their text, not by what a YAML 1.1 resolver would make of them: `ref_id:
/// 1.10` stays `1.10` (PyYAML would read the float 1.1). Text is trimmed at both ends (a `|` block
/// ends with a newline a plain scalar lacks); an empty optional text is absent.
struct LibraryFields {
    let mapping: Node.Mapping
    let file: String
    /// How sentences name this mapping: "the library", "node urn:…", "mapping 12 of urn:…".
    let place: String

    var line: Int? { mapping.mark?.line }

    init(_ mapping: Node.Mapping, file: String, place: String) {
        self.mapping = mapping
        self.file = file
        self.place = place
    }

    /// Wraps `node` when it is a mapping; otherwise names what it is.
    init(_ node: Node, file: String, place: String, field: String, in parent: String) throws(LibraryError) {
        guard case .mapping(let mapping) = node else {
            throw .wrongType(file: file, place: parent, field: field, found: Self.describe(node),
                             expected: "a mapping", line: node.mark?.line)
        }
        self.init(mapping, file: file, place: place)
    }

    func has(_ key: String) -> Bool {
        value(key) != nil
    }

    /// The value under `key`, nil when absent or null.
    func value(_ key: String) -> Node? {
        guard let node = mapping[key] else { return nil }
        return Self.isNull(node) ? nil : node
    }

    func requiredText(_ key: String) throws(LibraryError) -> String {
        guard let text = try text(key) else {
            throw .missingField(file: file, place: place, field: key, line: line)
        }
        return text
    }

    func text(_ key: String) throws(LibraryError) -> String? {
        guard let node = value(key) else { return nil }
        guard case .scalar(let scalar) = node else {
            throw wrongType(key, node, expected: "text")
        }
        let text = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    func requiredURN(_ key: String) throws(LibraryError) -> String {
        guard let urn = try urn(key) else {
            throw .missingField(file: file, place: place, field: key, line: line)
        }
        return urn
    }

    /// A URN, lower-cased as CISO Assistant's loader stores them (`urn.lower()`), so that a
    /// mapping written with other capitals still meets its framework.
    func urn(_ key: String) throws(LibraryError) -> String? {
        guard let text = try text(key) else { return nil }
        return try Self.urn(text, file: file, place: place, field: key, line: value(key)?.mark?.line ?? line)
    }

    static func urn(_ text: String, file: String, place: String, field: String, line: Int?) throws(LibraryError) -> String {
        let urn = text.lowercased()
        let valid = urn.hasPrefix("urn:") && urn.count > 4
            && !urn.unicodeScalars.contains { CharacterSet.whitespacesAndNewlines.contains($0) || CharacterSet.controlCharacters.contains($0) }
        guard valid else { throw .invalidURN(file: file, place: place, field: field, value: text, line: line) }
        return urn
    }

    func requiredBool(_ key: String) throws(LibraryError) -> Bool {
        guard let node = value(key) else {
            throw .missingField(file: file, place: place, field: key, line: line)
        }
        // YAML 1.1 booleans as PyYAML (CISO Assistant's reader) knows them; a quoted "true" is text.
        if case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any {
            switch scalar.string {
            case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return true
            case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return false
            default: break
            }
        }
        throw wrongType(key, node, expected: "true or false")
    }

    func requiredInt(_ key: String) throws(LibraryError) -> Int {
        guard let int = try int(key) else {
            throw .missingField(file: file, place: place, field: key, line: line)
        }
        return int
    }

    /// A whole number; quoted digits are accepted (`version: "2"`), as the format's producers vary.
    func int(_ key: String) throws(LibraryError) -> Int? {
        guard let node = value(key) else { return nil }
        guard case .scalar(let scalar) = node,
              let int = Int(scalar.string.trimmingCharacters(in: .whitespaces)) else {
            throw wrongType(key, node, expected: "a whole number")
        }
        return int
    }

    /// A list; absent or null is nil.
    func list(_ key: String) throws(LibraryError) -> [Node]? {
        guard let node = value(key) else { return nil }
        guard case .sequence(let sequence) = node else {
            throw wrongType(key, node, expected: "a list")
        }
        return Array(sequence)
    }

    func wrongType(_ key: String, _ node: Node, expected: String) -> LibraryError {
        .wrongType(file: file, place: place, field: key, found: Self.describe(node), expected: expected,
                   line: node.mark?.line ?? line)
    }

    /// What a value is, for sentences: "a list", "a mapping", "the text \"two\"".
    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            return scalar.string.isEmpty ? "empty" : "the text \"\(LibraryError.clipped(scalar.string))\""
        }
    }

    /// `~`, `null` or nothing, unquoted.
    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }
}

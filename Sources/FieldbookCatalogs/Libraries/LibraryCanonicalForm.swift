import Crypto
import FieldbookModel
import Foundation

/// The canonical bytes of a library, and their SHA-256: libraries are stored content-addressed by
/// it, so the same library written with other YAML formatting (quotes, key order, comments, block
/// or flow style, capitals in URNs) gets the same address.
///
/// The form is JSON as RFC 8785 (JCS) writes it for these values: keys sorted, no insignificant
/// whitespace, strings escaped minimally (`"`, `\`, control characters; everything else as UTF-8),
/// integers in decimal, absent optional fields omitted. Nodes, mappings, mapping sets and
/// dependencies keep their file order: order is meaning there (a framework reads in order).
/// Keys are CISO Assistant's own (`ref_id`, `requirement_nodes`, `requirement_mapping_sets`), so
/// the canonical form is itself a library, in JSON syntax, that `LibraryReader` reads back to an
/// equal document. It is written by hand, not by `JSONEncoder`, so that no Foundation version's
/// escaping can move an address.
public enum LibraryCanonicalForm {
    /// The canonical JSON bytes of `document`.
    public static func data(_ document: LibraryDocument) -> Data {
        var out = ""
        CanonicalValue.library(document).write(to: &out)
        return Data(out.utf8)
    }

    /// Lower-case hex SHA-256 of the canonical bytes: the library's content address.
    public static func sha256(_ document: LibraryDocument) -> String {
        Hex.string(SHA256.hash(data: data(document)))
    }
}

extension LibraryDocument {
    /// `LibraryCanonicalForm.data(self)`.
    public var canonicalData: Data { LibraryCanonicalForm.data(self) }
    /// `LibraryCanonicalForm.sha256(self)`: the address the library is stored under.
    public var sha256: String { LibraryCanonicalForm.sha256(self) }
}

/// The JSON values the canonical form uses.
private indirect enum CanonicalValue {
    case string(String)
    case int(Int)
    case bool(Bool)
    case array([CanonicalValue])
    /// Absent (nil) members are dropped when written.
    case object([String: CanonicalValue?])

    static func text(_ value: String?) -> CanonicalValue? { value.map(CanonicalValue.string) }
    static func number(_ value: Int?) -> CanonicalValue? { value.map(CanonicalValue.int) }

    static func library(_ document: LibraryDocument) -> CanonicalValue {
        var objects: [String: CanonicalValue?] = [:]
        if let framework = document.framework { objects["framework"] = Self.framework(framework) }
        if !document.mappingSets.isEmpty { objects["requirement_mapping_sets"] = .array(document.mappingSets.map(mappingSet)) }
        return .object([
            "urn": .string(document.urn), "locale": text(document.locale), "ref_id": .string(document.refID),
            "name": .string(document.name), "description": text(document.description),
            "copyright": text(document.copyright), "version": .int(document.version),
            "provider": text(document.provider), "packager": text(document.packager),
            "dependencies": .array(document.dependencies.map(CanonicalValue.string)),
            "objects": .object(objects),
        ])
    }

    static func framework(_ framework: LibraryDocument.Framework) -> CanonicalValue {
        .object([
            "urn": .string(framework.urn), "ref_id": .string(framework.refID), "name": .string(framework.name),
            "description": text(framework.description), "min_score": number(framework.minScore),
            "max_score": number(framework.maxScore), "requirement_nodes": .array(framework.nodes.map(node)),
        ])
    }

    static func node(_ node: LibraryDocument.Node) -> CanonicalValue {
        .object([
            "urn": .string(node.urn), "assessable": .bool(node.assessable), "depth": .int(node.depth),
            "parent_urn": text(node.parentURN), "ref_id": text(node.refID), "name": text(node.name),
            "description": text(node.description), "annotation": text(node.annotation),
        ])
    }

    static func mappingSet(_ set: LibraryDocument.MappingSet) -> CanonicalValue {
        .object([
            "urn": .string(set.urn), "ref_id": text(set.refID), "name": .string(set.name),
            "description": text(set.description), "source_framework_urn": .string(set.sourceFrameworkURN),
            "target_framework_urn": .string(set.targetFrameworkURN),
            "requirement_mappings": .array(set.mappings.map(mapping)),
        ])
    }

    static func mapping(_ mapping: LibraryDocument.Mapping) -> CanonicalValue {
        .object([
            "source_requirement_urn": .string(mapping.sourceURN), "target_requirement_urn": .string(mapping.targetURN),
            "relationship": .string(mapping.relationship.rawValue), "rationale": text(mapping.rationale),
            "strength_of_relationship": number(mapping.strength),
        ])
    }

    func write(to out: inout String) {
        switch self {
        case .string(let string): Self.writeString(string, to: &out)
        case .int(let int): out += String(int)
        case .bool(let bool): out += bool ? "true" : "false"
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            // JCS sorts by UTF-16 code units; every key here is ASCII, where that is byte order.
            let present = members.compactMap { key, value in value.map { (key, $0) } }.sorted { $0.0 < $1.0 }
            for (index, (key, value)) in present.enumerated() {
                if index > 0 { out += "," }
                Self.writeString(key, to: &out)
                out += ":"
                value.write(to: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ string: String, to out: inout String) {
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

import Foundation

/// The one configured JSON encoder of every document Fieldbook writes: sorted keys and unescaped
/// slashes always, so the same value always gives the same bytes (exports, reports, manifests,
/// bundles, wire control documents and `--json` output alike).
public enum JSONDocument {
    public enum Style: Sendable {
        /// Indented, for people and diffs: `--json` output, reports, exports, manifests.
        case readable
        /// One line, for machines: bundle records, wire documents, stored vectors.
        case compact
    }

    /// A fresh encoder in `style` (JSONEncoder is not Sendable, so none is shared).
    public static func encoder(_ style: Style) -> JSONEncoder {
        let encoder = JSONEncoder()
        switch style {
        case .readable:
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
        case .compact:
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        }
        return encoder
    }

    public static func encode(_ value: some Encodable, _ style: Style) throws -> Data {
        try encoder(style).encode(value)
    }

    /// A readable document as a file holds it: the bytes and a closing line break.
    public static func file(_ value: some Encodable) throws -> Data {
        try encode(value, .readable) + Data("\n".utf8)
    }

    public static func text(_ value: some Encodable, _ style: Style = .readable) throws -> String {
        String(decoding: try encode(value, style), as: UTF8.self)
    }
}

import FieldbookStore

/// A small pull reader for the XML inside spreadsheet packages: elements, attributes, text,
/// CDATA, the five named entities and character references. Enough for SpreadsheetML as Excel,
/// LibreOffice and openpyxl write it, and no more: a document type declaration (where entity
/// expansion attacks live) is refused, and nothing is fetched. Foundation's `XMLParser` would
/// bring libxml2 into every start of the CLI for one command.
struct XMLScanner {
    enum Event: Equatable {
        /// An element opens: its local name (any prefix dropped) and attributes by local name.
        case start(String, [String: String], selfClosing: Bool)
        case end(String)
        case text(String)
    }

    private let bytes: [UInt8]
    private var position = 0
    /// Which part is read, for refusals ("xl/worksheets/sheet1.xml").
    let part: String

    init(_ bytes: [UInt8], part: String) {
        self.bytes = bytes
        self.part = part
    }

    /// The next event, or nil at the end of the document.
    mutating func next() throws -> Event? {
        while position < bytes.count {
            if bytes[position] != UInt8(ascii: "<") {
                let start = position
                while position < bytes.count, bytes[position] != UInt8(ascii: "<") { position += 1 }
                return .text(try decode(bytes[start..<position]))
            }
            if starts(with: "<?") { try skip(past: "?>"); continue }
            if starts(with: "<!--") { try skip(past: "-->"); continue }
            if starts(with: "<![CDATA[") {
                let start = position + 9
                try skip(past: "]]>")
                return .text(String(decoding: bytes[start..<(position - 3)], as: UTF8.self))
            }
            if starts(with: "<!") { throw malformed("declares a document type, which spreadsheets never need") }
            if starts(with: "</") {
                position += 2
                let name = readName()
                try skip(past: ">")
                return .end(Self.local(name))
            }
            position += 1
            let name = readName()
            guard !name.isEmpty else { throw malformed("has a '<' that opens no element") }
            var attributes: [String: String] = [:]
            while true {
                skipSpace()
                guard position < bytes.count else { throw malformed("ends inside the element <\(name)>") }
                if starts(with: "/>") { position += 2; return .start(Self.local(name), attributes, selfClosing: true) }
                if bytes[position] == UInt8(ascii: ">") { position += 1; return .start(Self.local(name), attributes, selfClosing: false) }
                let attribute = readName()
                skipSpace()
                guard !attribute.isEmpty, position < bytes.count, bytes[position] == UInt8(ascii: "=") else {
                    throw malformed("has an attribute without a value in <\(name)>")
                }
                position += 1
                skipSpace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'") else {
                    throw malformed("has an unquoted attribute value in <\(name)>")
                }
                let quote = bytes[position]
                position += 1
                let start = position
                while position < bytes.count, bytes[position] != quote { position += 1 }
                guard position < bytes.count else { throw malformed("ends inside an attribute value") }
                attributes[Self.local(attribute)] = try decode(bytes[start..<position])
                position += 1
            }
        }
        return nil
    }

    /// The text inside the element just opened, up to its end (nested elements' text included).
    mutating func text(until name: String) throws -> String {
        var depth = 0, text = ""
        while let event = try next() {
            switch event {
            case .text(let piece): text += piece
            case .start(_, _, let selfClosing): if !selfClosing { depth += 1 }
            case .end(let closing):
                if depth == 0 {
                    guard closing == name else { throw malformed("closes <\(closing)> inside <\(name)>") }
                    return text
                }
                depth -= 1
            }
        }
        throw malformed("ends inside <\(name)>")
    }

    /// `x:row` is `row`: producers differ in the prefixes they give the main namespace.
    static func local(_ name: String) -> String {
        name.split(separator: ":", maxSplits: 1).last.map(String.init) ?? name
    }

    private func malformed(_ problem: String) -> StoreError {
        .invalid("The spreadsheet's part \(part) \(problem); it is not a spreadsheet Fieldbook can read.")
    }

    private func starts(with text: String) -> Bool {
        let utf8 = Array(text.utf8)
        return position + utf8.count <= bytes.count && bytes[position..<(position + utf8.count)].elementsEqual(utf8)
    }

    private mutating func skip(past terminator: String) throws {
        while position < bytes.count, !starts(with: terminator) { position += 1 }
        guard position < bytes.count else { throw malformed("ends before '\(terminator)'") }
        position += terminator.utf8.count
    }

    private mutating func skipSpace() {
        while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09 || bytes[position] == 0x0A || bytes[position] == 0x0D { position += 1 }
    }

    private mutating func readName() -> String {
        let start = position
        while position < bytes.count, !Self.endsName(bytes[position]) { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private static func endsName(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "="), UInt8(ascii: "/"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"): true
        default: false
        }
    }

    /// Text with its entities and character references replaced.
    private func decode(_ slice: ArraySlice<UInt8>) throws -> String {
        guard slice.contains(UInt8(ascii: "&")) else { return String(decoding: slice, as: UTF8.self) }
        var out: [UInt8] = []
        var index = slice.startIndex
        while index < slice.endIndex {
            guard slice[index] == UInt8(ascii: "&") else { out.append(slice[index]); index += 1; continue }
            guard let semicolon = slice[index...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else { throw malformed("has a stray '&'") }
            let name = String(decoding: slice[(index + 1)..<semicolon], as: UTF8.self)
            switch name {
            case "lt": out.append(UInt8(ascii: "<"))
            case "gt": out.append(UInt8(ascii: ">"))
            case "amp": out.append(UInt8(ascii: "&"))
            case "quot": out.append(UInt8(ascii: "\""))
            case "apos": out.append(UInt8(ascii: "'"))
            default:
                let number = name.hasPrefix("#x") ? UInt32(name.dropFirst(2), radix: 16) : name.hasPrefix("#") ? UInt32(name.dropFirst()) : nil
                guard let number, let scalar = Unicode.Scalar(number) else { throw malformed("uses the unknown entity '&\(name.prefix(10));'") }
                out += Array(String(Character(scalar)).utf8)
            }
            index = semicolon + 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

import FieldbookStore
import Foundation

/// An RFC 4180 file read into cells by row and column (both from 1), as `XLSXReader` gives
/// them: quoted fields may hold commas, quotes and line breaks. A leading `'` the reports' CSV
/// put before formula-like text is taken off again; a cell that still starts with `=` is a
/// formula typed by the client, and is marked so.
enum CSVTable {
    static func read(_ url: URL) throws -> XLSXSheet {
        let name = url.lastPathComponent
        try XLSXReader.requireSize(of: url)
        guard let data = try? Data(contentsOf: url) else { throw StoreError.notFound("The file \(url.path) cannot be read; check the path.") }
        return try sheet(data, name: name)
    }

    /// The bytes of a CSV file (UTF-8, with or without a byte order mark) read into cells.
    static func sheet(_ data: Data, name: String) throws -> XLSXSheet {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw StoreError.invalid("\(name) is not UTF-8 text; save it as CSV UTF-8, or as .xlsx.")
        }
        var cells: [Int: [Int: XLSXCell]] = [:]
        var row = 1, column = 1, field = "", quoted = false, wasQuoted = false
        func finish() {
            if !field.isEmpty || wasQuoted { cells[row, default: [:]][column] = cell(field) }
            field = ""
            wasQuoted = false
        }
        var characters = text.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? characters.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = characters.next()
                    if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                } else {
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty: quoted = true; wasQuoted = true
            case ",": finish(); column += 1
            case "\n", "\r\n", "\r": finish(); row += 1; column = 1
            default: field.append(character)
            }
        }
        guard !quoted else { throw StoreError.invalid("\(name) ends inside a quoted field (row \(row)); save it again as CSV.") }
        finish()
        return XLSXSheet(name: name, cells: cells)
    }

    private static func cell(_ text: String) -> XLSXCell {
        var text = text
        if text.hasPrefix("'"), let next = text.dropFirst().first, "=+-@\t\r".contains(next) { text.removeFirst() } else if text.hasPrefix("=") {
            return XLSXCell(text: text, isFormula: true)
        }
        return XLSXCell(text: text, isFormula: false)
    }
}

import Crypto
import FieldbookModel
import FieldbookStore
import Foundation

/// Reads the population a sampled test draws from (issue 30): a CSV file (RFC 4180, UTF-8)
/// whose first row is the header; every later row that is not blank is an item that can be
/// drawn, numbered as a spreadsheet numbers it (the header is row 1), keyed by its first column.
/// Anything else (a workbook, a binary file, text that is not UTF-8) is refused in one sentence.
public enum PopulationFile {
    /// The largest population file read.
    public static let sizeLimit = 10 << 20

    /// `filename` is the name the file had where it came from (an upload kept under another
    /// name); by default the file's own.
    public static func read(_ url: URL, filename: String? = nil) throws -> Population {
        let name = filename ?? url.lastPathComponent
        guard (name as NSString).pathExtension.lowercased() == "csv" else {
            throw StoreError.invalid("\(name) is not a CSV file; save the population as CSV (UTF-8, a header row, one item a row) and give that file.")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        guard size <= sizeLimit else {
            throw StoreError.invalid("\(name) is \(size >> 20) MB; a population file Fieldbook reads is at most \(sizeLimit >> 20) MB.")
        }
        guard let data = try? Data(contentsOf: url) else { throw StoreError.notFound("The file \(url.path) cannot be read; check the path.") }
        // A workbook or other binary renamed .csv: a ZIP signature, or NUL bytes no text holds.
        guard !data.starts(with: [0x50, 0x4B, 0x03, 0x04]), !data.contains(0),
              String(validating: data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...], as: UTF8.self) != nil else {
            throw StoreError.invalid("\(name) is not CSV text (a workbook or binary file, or not UTF-8); save the population as CSV UTF-8 and give that file.")
        }
        let sheet = try CSVTable.sheet(data, name: name)
        guard let header = sheet.cells[1], !header.isEmpty else {
            throw StoreError.invalid("\(name) has no header row; its first row should name the columns, the population's rows under it.")
        }
        let width = header.keys.max() ?? 1
        var rows: [Population.Row] = []
        for number in sheet.cells.keys.sorted() where number > 1 {
            guard let cells = sheet.cells[number], cells.values.contains(where: { !$0.text.isEmpty }) else { continue }
            rows.append(Population.Row(number: number, key: cells[1]?.text ?? ""))
        }
        let headerLine = (1...width).map { csvField(header[$0]?.text ?? "") }.joined(separator: ",")
        return Population(filename: name, sha256: Hex.string(SHA256.hash(data: data)), header: headerLine, rows: rows)
    }

    /// A field as RFC 4180 writes it: quoted when it holds a comma, quote or line break.
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

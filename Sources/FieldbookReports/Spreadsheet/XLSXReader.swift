import FieldbookStore
import Foundation
import ZIPFoundation

/// One cell as a spreadsheet holds it: its text (a number as written, a date cell as
/// `YYYY-MM-DD`) and whether a formula computes it.
public struct XLSXCell: Sendable, Equatable {
    public let text: String
    public let isFormula: Bool
}

/// One worksheet read back: its name and its non-empty cells by row and column (both from 1).
public struct XLSXSheet: Sendable {
    public let name: String
    public let cells: [Int: [Int: XLSXCell]]
}

/// Reads the first worksheet (or the one named `preferring`) of an XLSX file, as Excel,
/// LibreOffice and openpyxl write them: strings shared (`sharedStrings.xml`) or inline, numbers,
/// booleans, formulas with their cached values, dates stored as day numbers under a date format.
/// Hostile files stay bounded: the file, each part and all parts together have size limits
/// checked while inflating (a ZIP's declared sizes may lie), so a zip bomb stops at the limit.
public enum XLSXReader {
    /// The largest file read, and the most its parts may inflate to.
    public static let fileLimit = 10 << 20
    static let partLimit = 32 << 20, totalLimit = 64 << 20

    public static func read(_ url: URL, preferring wanted: String) throws -> XLSXSheet {
        let name = url.lastPathComponent
        try requireSize(of: url)
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch {
            throw StoreError.invalid("\(name) is not an XLSX file (not a ZIP package); save it as Excel Workbook (.xlsx) or CSV.")
        }
        var budget = totalLimit
        func part(_ path: String) throws -> [UInt8]? {
            guard let entry = archive[path] else { return nil }
            guard entry.uncompressedSize <= UInt64(partLimit), Int(entry.uncompressedSize) <= budget else { throw tooLarge(name) }
            var bytes: [UInt8] = []
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    guard bytes.count + chunk.count <= min(partLimit, budget) else { throw Inflated() }
                    bytes += chunk
                }
            } catch is Inflated {
                throw tooLarge(name)
            } catch {
                throw StoreError.invalid("\(name) is damaged (its part \(path) cannot be unpacked); save it again as .xlsx.")
            }
            budget -= bytes.count
            return bytes
        }
        guard let workbook = try part("xl/workbook.xml") else {
            throw StoreError.invalid("\(name) holds no workbook (xl/workbook.xml); save it as Excel Workbook (.xlsx) or CSV.")
        }
        let sheets = try Self.sheets(workbook)
        guard let sheet = sheets.first(where: { $0.name == wanted }) ?? sheets.first else {
            throw StoreError.invalid("\(name) holds no worksheet.")
        }
        let targets = try part("xl/_rels/workbook.xml.rels").map(relationships) ?? [:]
        let target = targets[sheet.relationship].map(partPath) ?? "xl/worksheets/sheet1.xml"
        guard let sheetBytes = try part(target) else { throw StoreError.invalid("\(name) lacks its worksheet's part \(target); save it again as .xlsx.") }
        let shared = try part("xl/sharedStrings.xml").map(sharedStrings) ?? []
        let dateStyles = try part("xl/styles.xml").map(Self.dateStyles) ?? []
        return XLSXSheet(name: sheet.name, cells: try cells(sheetBytes, part: target, shared: shared, dateStyles: dateStyles))
    }

    /// Refuses a file larger than `fileLimit` before a byte of it is read (XLSX and CSV alike).
    static func requireSize(of url: URL) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        guard size <= fileLimit else {
            throw StoreError.invalid("\(url.lastPathComponent) is \(size >> 20) MB; a request list Fieldbook reads is at most \(fileLimit >> 20) MB.")
        }
    }

    /// Inflating went past a limit: stopped there, whatever the ZIP declared.
    private struct Inflated: Error {}

    private static func tooLarge(_ name: String) -> StoreError {
        .invalid("\(name) unpacks to more than \(partLimit >> 20) MB; a request list is far smaller, so it is refused (a damaged or hostile file).")
    }

    /// A relationship target as a path in the package: `worksheets/sheet1.xml` or `/xl/worksheets/sheet1.xml`.
    private static func partPath(_ target: String) -> String {
        target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
    }

    private static func sheets(_ bytes: [UInt8]) throws -> [(name: String, relationship: String)] {
        var scanner = XMLScanner(bytes, part: "xl/workbook.xml"), found: [(String, String)] = []
        while let event = try scanner.next() {
            if case .start("sheet", let attributes, _) = event { found.append((attributes["name"] ?? "", attributes["id"] ?? "")) }
        }
        return found
    }

    private static func relationships(_ bytes: [UInt8]) throws -> [String: String] {
        var scanner = XMLScanner(bytes, part: "xl/_rels/workbook.xml.rels"), found: [String: String] = [:]
        while let event = try scanner.next() {
            if case .start("Relationship", let attributes, _) = event, let id = attributes["Id"], let target = attributes["Target"] { found[id] = target }
        }
        return found
    }

    /// Each shared string: the text of its `<t>` elements, phonetic runs (`<rPh>`) left out.
    private static func sharedStrings(_ bytes: [UInt8]) throws -> [String] {
        var scanner = XMLScanner(bytes, part: "xl/sharedStrings.xml"), strings: [String] = [], current: String?
        while let event = try scanner.next() {
            switch event {
            case .start("si", _, let selfClosing): if selfClosing { strings.append("") } else { current = "" }
            case .start("t", _, false): current? += try scanner.text(until: "t")
            case .start("rPh", _, false): _ = try scanner.text(until: "rPh")
            case .end("si"): strings.append(current ?? ""); current = nil
            default: break
            }
        }
        return strings
    }

    /// The cell formats (`cellXfs` positions) whose number format shows a date.
    private static func dateStyles(_ bytes: [UInt8]) throws -> Set<Int> {
        var scanner = XMLScanner(bytes, part: "xl/styles.xml")
        var customDates: Set<Int> = [], styles: Set<Int> = [], inCellFormats = false, index = 0
        while let event = try scanner.next() {
            switch event {
            case .start("numFmt", let attributes, _):
                if let id = attributes["numFmtId"].flatMap(Int.init), isDateFormat(attributes["formatCode"] ?? "") { customDates.insert(id) }
            case .start("cellXfs", _, false): inCellFormats = true
            case .end("cellXfs"): inCellFormats = false
            case .start("xf", let attributes, _) where inCellFormats:
                let format = attributes["numFmtId"].flatMap(Int.init) ?? 0
                if (14...22).contains(format) || (45...47).contains(format) || customDates.contains(format) { styles.insert(index) }
                index += 1
            default: break
            }
        }
        return styles
    }

    /// A format code shows a date when it has a day, month or year outside quotes and brackets.
    static func isDateFormat(_ code: String) -> Bool {
        var quoted = false, bracketed = false
        for character in code.lowercased() {
            switch character {
            case "\"": quoted.toggle()
            case "[": bracketed = true
            case "]": bracketed = false
            case "d", "y", "m": if !quoted && !bracketed { return true }
            default: continue
            }
        }
        return false
    }

    private static func cells(_ bytes: [UInt8], part: String, shared: [String], dateStyles: Set<Int>) throws -> [Int: [Int: XLSXCell]] {
        var scanner = XMLScanner(bytes, part: part)
        var rows: [Int: [Int: XLSXCell]] = [:]
        var row = 0, column = 0
        while let event = try scanner.next() {
            switch event {
            case .start("row", let attributes, _):
                row = attributes["r"].flatMap(Int.init) ?? row + 1
                column = 0
            case .start("c", let attributes, let selfClosing):
                column = attributes["r"].flatMap { XLSXColumn.index(ofReference: $0) } ?? column + 1
                guard !selfClosing else { continue }
                var value: String?, inline = "", formula = false
                while let inner = try scanner.next(), inner != .end("c") {
                    switch inner {
                    case .start("v", _, false): value = try scanner.text(until: "v")
                    case .start("f", _, let closes): formula = true; if !closes { _ = try scanner.text(until: "f") }
                    case .start("t", _, false): inline += try scanner.text(until: "t")
                    case .start("rPh", _, false): _ = try scanner.text(until: "rPh")
                    default: break
                    }
                }
                let text: String
                switch attributes["t"] ?? "n" {
                case "s":
                    guard let index = value.flatMap(Int.init), shared.indices.contains(index) else {
                        throw StoreError.invalid("The spreadsheet's cell \(XLSXColumn.letters(column))\(row) names a shared string it does not hold; save it again as .xlsx.")
                    }
                    text = shared[index]
                case "inlineStr": text = inline
                case "b": text = value == "1" ? "TRUE" : "FALSE"
                case "n":
                    let style = attributes["s"].flatMap(Int.init) ?? 0
                    text = value.map { dateStyles.contains(style) ? (XLSXDate.date(serial: $0) ?? $0) : XLSXNumber.text($0) } ?? ""
                default: text = value ?? inline
                }
                if !text.isEmpty || formula { rows[row, default: [:]][column] = XLSXCell(text: text, isFormula: formula) }
            default: break
            }
        }
        return rows
    }
}

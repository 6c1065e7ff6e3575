import Foundation

/// A report as a workbook: its data table (the rows CSV carries) on one sheet, the header bold
/// and kept in view, every column locked, through the same writer as the client's request list
/// (`XLSXWorkbook`). Dated by the document's day, so two runs on the same state are byte-identical.
enum XLSXRenderer {
    static func draw(_ document: ReportDocument) throws -> Data {
        let table = document.data
        let widths = table.header.indices.map { column in
            min(60, max(8, ([table.header[column]] + table.rows.map { column < $0.count ? $0[column] ?? "" : "" }).map(\.count).max() ?? 8))
        }
        let columns = zip(table.header, widths).map { XLSXWorkbook.Column(heading: $0, width: $1) }
        let rows: [[XLSXWorkbook.Value]] = table.rows.map { row in
            table.header.indices.map { column in
                guard column < row.count, let text = row[column], !text.isEmpty else { return .empty }
                return .text(text)
            }
        }
        return try XLSXWorkbook(sheetName: sheetName(document.title), columns: columns, rows: rows, spareRows: 0)
            .data(dated: document.control.generated)
    }

    /// A sheet's name as Excel allows it: at most 31 characters, none of `[]:*?/\`.
    static func sheetName(_ title: String) -> String {
        String(title.filter { !"[]:*?/\\".contains($0) }.prefix(31))
    }
}

import FieldbookModel
import FieldbookStore
import Foundation

/// The request list a client fills in (issue 30): one row per request, the columns the
/// assessor owns locked (id, what, requirement, due), the client's open (status, comment, file
/// names). Written as XLSX or CSV, and read back from either into `RequestAnswer`s, matched by
/// id so a client may sort, filter or add rows; `WorkspaceDomain.importAnswers` records them.
public enum RequestSheet {
    public static let sheetName = "Requests"
    /// File names in one cell are separated by semicolons or line breaks.
    static let fileSeparators: Set<Character> = [";", "\n", "\r\n", "\r"]

    enum Heading: String, CaseIterable {
        case id, what, requirement, due, status
        case comment = "client comment"
        case files = "file names"
    }

    static let columns: [XLSXWorkbook.Column] = [
        .init(heading: Heading.id.rawValue, width: 38),
        .init(heading: Heading.what.rawValue, width: 48),
        .init(heading: Heading.requirement.rawValue, width: 24),
        .init(heading: Heading.due.rawValue, width: 12),
        .init(heading: Heading.status.rawValue, width: 12, editable: true, choices: RequestStatus.allCases.map(\.rawValue)),
        .init(heading: Heading.comment.rawValue, width: 48, editable: true),
        .init(heading: Heading.files.rawValue, width: 36, editable: true),
    ]

    /// The requests a client is sent: live and not cancelled, earliest due first.
    public static func listed(_ requests: [EvidenceRequest]) -> [EvidenceRequest] {
        requests.filter { !$0.deleted && $0.status != .cancelled }.sorted { ($0.due ?? "9999", $0.id) < ($1.due ?? "9999", $1.id) }
    }

    static func what(_ request: EvidenceRequest) -> String {
        [request.title, request.description].compactMap { $0 }.joined(separator: "\n")
    }

    /// The names of the files that answered each request, as the client last named them.
    static func fileNames(_ request: EvidenceRequest, evidence: [EntityID: Evidence]) -> String {
        request.evidence.compactMap { EntityID($0).flatMap { evidence[$0] } }.filter { !$0.deleted }.compactMap(\.filename).joined(separator: "; ")
    }

    /// The workbook: `requests` as `listed` them, `evidence` the engagement's files by id.
    public static func xlsx(_ requests: [EvidenceRequest], evidence: [EntityID: Evidence], dated day: String) throws -> Data {
        let rows: [[XLSXWorkbook.Value]] = requests.map { request in
            [.text(request.id.rawValue), .text(what(request)), .text(request.requirements.joined(separator: "\n")),
             request.due.map { .date($0) } ?? .empty, .text(request.status.rawValue),
             request.clientComment.map { .text($0) } ?? .empty, text(fileNames(request, evidence: evidence))]
        }
        return try XLSXWorkbook(sheetName: sheetName, columns: columns, rows: rows).data(dated: day)
    }

    private static func text(_ value: String) -> XLSXWorkbook.Value { value.isEmpty ? .empty : .text(value) }

    /// The same list as RFC 4180 CSV (formula-like text escaped as the reports' CSV does).
    public static func csv(_ requests: [EvidenceRequest], evidence: [EntityID: Evidence]) -> String {
        let lines = [columns.map(\.heading)] + requests.map { request in
            [request.id.rawValue, what(request), request.requirements.joined(separator: " "), request.due ?? "", request.status.rawValue,
             request.clientComment ?? "", fileNames(request, evidence: evidence)]
        }
        return lines.map { CSVRenderer.line($0) + "\r\n" }.joined()
    }

    /// What a client's file answers, and a note for each row ignored.
    public struct Answers: Sendable {
        public let answers: [RequestAnswer]
        /// "Sheet 'Requests', row 9 has no request id; ignored ...": rows the client added.
        public let ignored: [String]
    }

    /// Reads a client's XLSX or CSV file (by its extension; `.xlsx` when it starts as a ZIP does).
    public static func answers(in url: URL) throws -> Answers {
        let handle = try? FileHandle(forReadingFrom: url)
        let isZIP = (try? handle?.read(upToCount: 2)) == Data("PK".utf8)
        try? handle?.close()
        if url.pathExtension.lowercased() == "xlsx" || (url.pathExtension.lowercased() != "csv" && isZIP) {
            let sheet = try XLSXReader.read(url, preferring: sheetName)
            return try answers(sheet.cells, sheet: "sheet '\(sheet.name)'")
        }
        return try answers(try CSVTable.read(url).cells, sheet: url.lastPathComponent)
    }

    /// Answers from cells by row and column: the header is the first row holding anything, and
    /// columns are found by heading, so a client may reorder or add columns.
    static func answers(_ cells: [Int: [Int: XLSXCell]], sheet: String) throws -> Answers {
        let rows = cells.keys.sorted()
        guard let headerRow = rows.first(where: { !(cells[$0] ?? [:]).values.allSatisfy { $0.text.trimmingCharacters(in: .whitespaces).isEmpty } }) else {
            throw StoreError.invalid("The \(sheet) is empty; fill in the request list Fieldbook exported.")
        }
        var position: [Heading: Int] = [:]
        for (column, cell) in cells[headerRow] ?? [:] {
            if let heading = Heading(rawValue: cell.text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()) { position[heading] = column }
        }
        for heading in [Heading.id, .status, .comment, .files] where position[heading] == nil {
            throw StoreError.invalid("The \(sheet) has no column headed '\(heading.rawValue)' in row \(headerRow); fill in the request list as Fieldbook exported it.")
        }
        func place(_ row: Int, _ heading: Heading) -> SheetCell {
            SheetCell(sheet: sheet, row: row, column: XLSXColumn.letters(position[heading]!), heading: heading.rawValue)
        }
        var answers: [RequestAnswer] = [], ignored: [String] = []
        for row in rows where row > headerRow {
            var values: [Heading: String] = [:]
            for heading in [Heading.id, .status, .comment, .files] {
                guard let cell = cells[row]?[position[heading]!] else { continue }
                if cell.isFormula { throw StoreError.invalid("\(place(row, heading).place) holds a formula; type the value itself.") }
                let text = cell.text.replacingOccurrences(of: "\r\n", with: "\n")
                if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { values[heading] = text }
            }
            if values.isEmpty { continue }
            guard let id = values[.id]?.trimmingCharacters(in: .whitespacesAndNewlines) else {
                ignored.append("\(sheet.prefix(1).uppercased() + sheet.dropFirst()), row \(row) has no request id; ignored (a new request is added in Fieldbook: fieldbook request add).")
                continue
            }
            let files = (values[.files] ?? "").split(whereSeparator: { fileSeparators.contains($0) })
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            answers.append(RequestAnswer(
                request: id, requestCell: place(row, .id),
                status: values[.status]?.trimmingCharacters(in: .whitespacesAndNewlines), statusCell: place(row, .status),
                comment: values[.comment], commentCell: place(row, .comment), files: files, filesCell: place(row, .files)))
        }
        return Answers(answers: answers, ignored: ignored)
    }
}

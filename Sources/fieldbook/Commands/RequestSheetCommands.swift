import ArgumentParser
import FieldbookModel
import FieldbookReports
import FieldbookStore
import Foundation

/// `fieldbook request export|import`: the request list as a spreadsheet the client fills in,
/// and the client's answers taken back (`RequestSheet`, `WorkspaceDomain.importAnswers`).
extension RequestCommand {
    enum SheetFormat: String, ExpressibleByArgument, CaseIterable { case xlsx, csv }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the request list for the client to fill in (XLSX or CSV).",
            discussion: """
                One row per request that is not cancelled, earliest due first: id, what, requirement and due \
                locked; status (a list of the allowed values), client comment and file names open to typing. \
                The sheet is protected without a password, so the client can sort and filter. Files named in \
                'file names' (separated by ';' or line breaks) are looked for beside the spreadsheet on import.
                """)
        @Option(help: "xlsx (Excel, LibreOffice) or csv.") var format: SheetFormat = .xlsx
        @Option(name: .shortAndLong, help: "The file to write.") var output: String

        func run() throws {
            let workspace = try WorkspaceContext.open()
            let requests = RequestSheet.listed(try workspace.all(EvidenceRequest.self))
            let evidence = Dictionary(uniqueKeysWithValues: try workspace.all(Evidence.self, includeDeleted: true).map { ($0.id, $0) })
            let bytes = switch format {
            case .xlsx: try RequestSheet.xlsx(requests, evidence: evidence, dated: Today.utc())
            case .csv: Data(RequestSheet.csv(requests, evidence: evidence).utf8)
            }
            try ReportCommand.Options.write(bytes, to: output)
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take back the client's filled-in request list (XLSX or CSV): statuses, comments and the files it names.",
            discussion: """
                Rows are matched by request id, wherever the client sorted them; blank rows are skipped, and a \
                row without an id (one the client added) is ignored with a note. Files named in a row are \
                taken from the spreadsheet's folder, attached as evidence answering that request, and mark it \
                received unless the row's status says otherwise. All or nothing: a bad cell is named (sheet, \
                row, column) and nothing is written. Values already recorded write nothing.
                """)
        @Argument(help: "The spreadsheet: .xlsx or .csv.") var file: String
        @OptionGroup var output: OutputOptions

        func run() throws {
            let url = try RegularFile.existing(file, called: "The spreadsheet", toBe: "imported", ifFolder: "name the spreadsheet file.")
            let workspace = try WorkspaceContext.open()
            let sheet = try RequestSheet.answers(in: url)
            let outcome = try workspace.domain.importAnswers(sheet.answers, filesIn: url.deletingLastPathComponent())
            let document = RequestImportDocument(
                updated: outcome.updated.map(\.rawValue),
                attached: outcome.attached.map { .init(request: $0.request.rawValue, evidence: $0.evidence.rawValue, filename: $0.filename, sha256: $0.sha256) },
                unchanged: outcome.unchanged, ignoredRows: sheet.ignored)
            try output.emit(document) {
                for note in sheet.ignored { Terminal.note(note) }
                for file in outcome.attached { Terminal.print("Attached \(file.filename) to request \(file.request) (evidence \(file.evidence))") }
                Terminal.print("Updated \(counted(outcome.updated.count, "request")), attached \(counted(outcome.attached.count, "file"))"
                    + (outcome.unchanged == 0 ? "." : "; \(counted(outcome.unchanged, "row")) held nothing new."))
            }
        }
    }
}

/// `request import --json`: what changed, what was attached, and the rows left aside.
struct RequestImportDocument: Encodable {
    struct Attached: Encodable { let request: String; let evidence: String; let filename: String; let sha256: String }
    let updated: [String]
    let attached: [Attached]
    let unchanged: Int
    let ignoredRows: [String]

    enum CodingKeys: String, CodingKey {
        case updated, attached, unchanged
        case ignoredRows = "ignored_rows"
    }
}

import FieldbookModel
import FieldbookPackage
import FieldbookReplica
import FieldbookReports
import FieldbookStore
import Foundation
import Hummingbird

/// `/reports`: every report in every format, and the audit package, downloaded from the page.
/// Each is drawn by the same code as `fieldbook report` and `fieldbook export package`, from the
/// workspace as it is at the moment of the download (a draft; final documents are issued with
/// the CLI, which refuses them while conflicts are open).
enum ReportsPage: WorkbenchPages {
    /// The reports by the name `fieldbook report` gives them.
    static let kinds: [(key: String, title: String)] = [
        ("gap", "Gap analysis"), ("risks", "Risk register"), ("soa", "Statement of Applicability"),
        ("progress", "Progress"), ("findings", "Corrective actions (findings)"), ("review", "Management review inputs (9.3.2)"),
        ("workpapers", "Fieldwork workpapers (sampled tests, interviews)"),
    ]

    static func add(to router: Router<WorkbenchContext>, workbench: Workbench) {
        router.get("/reports") { _, context in
            let page = try PageContext(workbench, context: context)
            return try page.page("Reports", current: "/reports", body(page))
        }
        router.get("/reports/:file") { request, context in
            let file = try context.parameters.require("file")
            let parts = file.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, kinds.contains(where: { $0.key == parts[0] }), let format = ReportFormat(rawValue: parts[1]) else {
                return Refusal.page(.notFound, "There is no report '\(file)'; the Reports page lists them.")
            }
            let workspace = try workbench.workspace()
            let data = try ReportData.load(workspace, library: try workspace.libraries.catalogs().library)
            let framework = request.uri.queryParameters["framework"].flatMap { FrameworkID(rawValue: String($0)) } ?? .iso42001
            guard data.library.holds(framework) else {
                return Refusal.page(.notFound, "The engagement holds no framework '\(framework.rawValue)'.")
            }
            let bytes: Data = switch parts[0] {
            case "gap": try ReportFormat.render(GapReport(framework: framework, data: data), as: format)
            case "risks": try ReportFormat.render(RiskRegister(data: data), as: format)
            case "soa": try ReportFormat.render(StatementOfApplicability(data: data), as: format)
            case "progress": try ReportFormat.render(ProgressReport(changes: try workspace.log().map(\.change), document: data.document,
                                                                     library: data.library, by: .month), as: format)
            case "review": try ReportFormat.render(ManagementReview(data: data, changes: try workspace.exchange.changes(missingFrom: VersionVector()),
                                                                    since: nil), as: format)
            case "workpapers": try ReportFormat.render(Workpapers(data: data), as: format)
            default: try ReportFormat.render(FindingsRegister(data: data), as: format)
            }
            let name = parts[0] == "gap" ? "gap-\(framework.rawValue).\(format.fileExtension)" : file
            return download(bytes, name: name, type: mediaType(format))
        }
        router.get("/package") { _, context in
            let workspace = try workbench.workspace()
            let data = try ReportData.load(workspace, library: try workspace.libraries.catalogs().library)
            let folder = workspace.location.scratch
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let file = folder.appendingPathComponent("package-\(UUID().uuidString).zip")
            defer { try? FileManager.default.removeItem(at: file) }
            do {
                _ = try AuditPackage.export(workspace, data: data, to: file)
            } catch {
                workbench.gate.leave(.init(text: "\(error)", refused: true), for: context.session!)
                return Response(status: .seeOther, headers: [.location: "/reports"])
            }
            return download(try Data(contentsOf: file), name: "audit-package.zip", type: "application/zip")
        }
    }

    static func body(_ page: PageContext) -> HTML {
        let formats = ReportFormat.allCases
        let label = { (format: ReportFormat) in format == .docx ? "Word" : format == .markdown ? "Markdown" : format.rawValue.uppercased() }
        var rows: [[HTML]] = []
        for framework in page.catalogs.frameworks {
            rows.append([.text("Gap analysis: \(framework.shortName)"), .group(formats.map { format in
                [H.a("/reports/gap.\(format.fileExtension)?framework=\(framework.framework.rawValue)", .text(label(format)),
                     class: "download"), .text(" ")]
            })])
        }
        for kind in kinds.dropFirst() {
            rows.append([.text(kind.title), .group(formats.map { format in
                [H.a("/reports/\(kind.key).\(format.fileExtension)", .text(label(format)), class: "download"), .text(" ")]
            })])
        }
        return [
            H.h1("Reports"),
            H.p("Each report is drawn from the workspace as it is now, as a draft. Issue final documents with 'fieldbook report ... --final'."),
            H.table(caption: "Reports and their formats", header: ["report", "download"], rows: rows),
            H.h2("Audit package"),
            H.p(H.a("/package", "Download the signed audit package"),
                .text(" (every report, OSCAL, the evidence files and the signed history, in one ZIP file).")),
        ]
    }

    static func mediaType(_ format: ReportFormat) -> String {
        switch format {
        case .markdown: "text/markdown; charset=utf-8"
        case .html: "text/html; charset=utf-8"
        case .csv: "text/csv; charset=utf-8"
        case .json: "application/json"
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
    }

    /// A file to save, never shown in the page (an HTML report carries its own styles).
    static func download(_ bytes: Data, name: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\""],
                 body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

import Foundation
import Mustache

/// Self-contained HTML: inline CSS, inline SVG charts, no scripts, no external assets,
/// readable when printed. The markup lives in `Templates/*.mustache` (resources): each report
/// extends `page`, and shares the `kpis`, `heatmap` and `burnup` partials; Mustache escapes
/// every `{{value}}`, so every text from the workspace is escaped.
enum HTMLRenderer {
    static func gap(_ report: GapReport) throws -> String { try render("gap", GapPage(report)) }
    static func risks(_ register: RiskRegister) throws -> String { try render("risks", RiskPage(register)) }
    static func soa(_ soa: StatementOfApplicability) throws -> String { try render("soa", SoAPage(soa)) }
    static func progress(_ report: ProgressReport) throws -> String { try render("progress", ProgressPage(report)) }
    static func findings(_ register: FindingsRegister) throws -> String { try render("findings", FindingsPage(register)) }

    static func render(_ template: String, _ page: Any) throws(ReportTemplateError) -> String {
        guard let html = try templates.get().render(page, withTemplate: template) else {
            throw ReportTemplateError(template: template, reason: "it is missing from this installation")
        }
        return html
    }

    /// Every template, read and parsed once per process.
    static let templates: Result<MustacheLibrary, ReportTemplateError> = Result { () throws(ReportTemplateError) -> MustacheLibrary in
        guard let folder = Bundle.module.url(forResource: "Templates", withExtension: nil),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            throw ReportTemplateError(template: "Templates", reason: "the report templates are missing from this installation")
        }
        var library = MustacheLibrary()
        for file in names where file.hasSuffix(".mustache") {
            let name = String(file.dropLast(".mustache".count))
            do {
                try library.register(String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8), named: name)
            } catch {
                throw ReportTemplateError(template: name, reason: "\(error)")
            }
        }
        return library
    }
}

/// An HTML template that is missing or does not parse: a broken installation, not bad input.
public struct ReportTemplateError: Error, CustomStringConvertible {
    public let template: String
    public let reason: String

    public var description: String { "The HTML report template '\(template)' cannot be used: \(reason)." }
}

import FieldbookModel
import FieldbookReplica
import Foundation

/// The formats every report comes in.
public enum ReportFormat: String, Sendable, CaseIterable {
    case markdown = "md", html, csv, json, docx, xlsx

    /// Renders a report: its document drawn by the format's renderer, or JSON, which has sorted
    /// keys so two runs on the same state are byte-identical. Text formats are UTF-8; DOCX is a
    /// Word document and XLSX a workbook of the report's data table (ZIP containers). HTML throws when its templates are missing from the
    /// installation or do not parse.
    public static func render(_ report: some RenderableReport, as format: ReportFormat) throws -> Data {
        switch format {
        case .markdown: Data(MarkdownRenderer.draw(report.reportDocument).utf8)
        case .html: Data(try HTMLRenderer.draw(report.reportDocument).utf8)
        case .csv: Data(CSVRenderer.draw(report.reportDocument).utf8)
        case .json: Data(try json(report).utf8)
        case .docx: try DOCXRenderer.draw(report.reportDocument)
        case .xlsx: try XLSXRenderer.draw(report.reportDocument)
        }
    }

    /// The file name extension of a report in this format.
    public var fileExtension: String { rawValue }

    static func json<T: Encodable>(_ value: T) throws -> String {
        try JSONDocument.text(value) + "\n"
    }
}

/// A report: built once as a `ReportDocument` (`Document/<Report>+Document.swift`), which every
/// format but JSON draws; JSON is the report's own `Encodable` form.
public protocol RenderableReport: Encodable {
    var reportDocument: ReportDocument { get }
}

enum Format {
    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value) }

    /// Days to mitigate high and critical risks as a headline and a line of detail.
    static func mitigation(_ risks: ProgressReport.HighRisks) -> (headline: String, detail: String) {
        guard let mean = risks.meanDaysToMitigate, let worst = risks.worstDaysToMitigate else {
            return ("none yet", risks.logged == 0 ? "no high or critical risk logged" : "no high or critical risk mitigated yet")
        }
        return (days(mean), "mean over \(counted(risks.mitigated, "risk")); slowest \(days(worst))")
    }

    static func days(_ value: Double) -> String {
        (value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)) + (value == 1 ? " day" : " days")
    }
}

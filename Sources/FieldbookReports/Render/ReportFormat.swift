import Foundation

/// The formats every report comes in.
public enum ReportFormat: String, Sendable, CaseIterable {
    case markdown = "md", html, csv, json

    /// Renders a report; JSON has sorted keys so two runs on the same state are byte-identical.
    public static func render(_ report: some RenderableReport, as format: ReportFormat) throws -> String {
        switch format {
        case .markdown: report.markdown
        case .html: try report.html
        case .csv: report.csv
        case .json: try json(report)
        }
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}

/// A report that renders as Markdown, HTML and CSV (and JSON through Encodable).
public protocol RenderableReport: Encodable {
    var markdown: String { get }
    /// Throws when the HTML templates are missing from the installation or do not parse.
    var html: String { get throws }
    var csv: String { get }
}

extension GapReport: RenderableReport {
    public var markdown: String { MarkdownRenderer.gap(self) }
    public var html: String { get throws { try HTMLRenderer.gap(self) } }
    public var csv: String { CSVRenderer.gap(self) }
}

extension RiskRegister: RenderableReport {
    public var markdown: String { MarkdownRenderer.risks(self) }
    public var html: String { get throws { try HTMLRenderer.risks(self) } }
    public var csv: String { CSVRenderer.risks(self) }
}

extension StatementOfApplicability: RenderableReport {
    public var markdown: String { MarkdownRenderer.soa(self) }
    public var html: String { get throws { try HTMLRenderer.soa(self) } }
    public var csv: String { CSVRenderer.soa(self) }
}

extension ProgressReport: RenderableReport {
    public var markdown: String { MarkdownRenderer.progress(self) }
    public var html: String { get throws { try HTMLRenderer.progress(self) } }
    public var csv: String { CSVRenderer.progress(self) }
}

enum Format {
    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value) }
}

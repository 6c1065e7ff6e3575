import Foundation

/// The formats every report comes in.
public enum ReportFormat: String, Sendable, CaseIterable {
    case markdown = "md", html, csv, json

    /// Renders a report; JSON has sorted keys so two runs on the same state are byte-identical.
    public static func render(_ report: GapReport, as format: ReportFormat) throws -> String {
        switch format {
        case .markdown: MarkdownRenderer.gap(report)
        case .html: HTMLRenderer.gap(report)
        case .csv: CSVRenderer.gap(report)
        case .json: try json(report)
        }
    }

    public static func render(_ register: RiskRegister, as format: ReportFormat) throws -> String {
        switch format {
        case .markdown: MarkdownRenderer.risks(register)
        case .html: HTMLRenderer.risks(register)
        case .csv: CSVRenderer.risks(register)
        case .json: try json(register)
        }
    }

    public static func render(_ soa: StatementOfApplicability, as format: ReportFormat) throws -> String {
        switch format {
        case .markdown: MarkdownRenderer.soa(soa)
        case .html: HTMLRenderer.soa(soa)
        case .csv: CSVRenderer.soa(soa)
        case .json: try json(soa)
        }
    }

    public static func render(_ progress: ProgressReport, as format: ReportFormat) throws -> String {
        switch format {
        case .markdown: MarkdownRenderer.progress(progress)
        case .html: HTMLRenderer.progress(progress)
        case .csv: CSVRenderer.progress(progress)
        case .json: try json(progress)
        }
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }
}

enum Format {
    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value) }
}

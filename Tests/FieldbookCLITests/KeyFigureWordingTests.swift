import Foundation
import Testing

/// The key figures as a client reads them (issue 26): frameworks by name, levels and
/// severities from the worst down, in every format.
@Suite(.serialized)
struct KeyFigureWordingTests {
    @Test("key figures name the frameworks as a client reads them and list risk levels and severities worst first, in every format")
    func keyFigureWording() throws {
        let ws = try DeliverableReportTests.engagement()
        for (title, likelihood, impact) in [("Minor drift", "1", "2"), ("Model collapse", "5", "5"), ("Stale data", "2", "3")] {
            #expect(try ws.run("risk", "add", title, "--likelihood", likelihood, "--impact", impact).status == 0)
        }
        var texts: [String: String] = [:]
        for format in ["md", "html", "csv", "docx"] {
            let file = ws.folder.appendingPathComponent("risks.\(format)")
            let outcome = try ws.run("report", "risks", "--format", format, "-o", file.path)
            #expect(outcome.status == 0, "\(format): \(outcome.stderr)")
            texts[format] = format == "docx"
                ? try ReportCommandTests.python("import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read('word/document.xml').decode())", [file.path]).1
                : try String(contentsOf: file, encoding: .utf8)
        }
        // The key figures' risk and finding counts in each format.
        let bounds = ["md": ("Risks:", "Evidence files:"), "html": ("Risks identified / mitigated", "Evidence files unverified"),
                      "docx": ("Risks identified", "Evidence files"), "csv": ("kpi", "findings.open.minor")]
        for (format, whole) in texts {
            let (from, to) = try #require(bounds[format])
            let start = try #require(whole.range(of: from), "\(format): no key figures").lowerBound
            let end = try #require(whole.range(of: to, range: start..<whole.endIndex), "\(format): key figures cut").upperBound
            let text = String(whole[start..<end])
            // Worst first: critical before high before medium before low; major before minor.
            let levels = ["critical", "high", "medium", "low"].map { level in
                format == "csv" ? text.range(of: "risks.level.\(level)")?.lowerBound : text.range(of: "\(level) ")?.lowerBound
            }
            #expect(levels.allSatisfy { $0 != nil } && zip(levels, levels.dropFirst()).allSatisfy { $0! < $1! }, "\(format): levels out of order")
            let major = text.range(of: format == "csv" ? "findings.open.major" : "major ")?.lowerBound
            let minor = text.range(of: format == "csv" ? "findings.open.minor" : "minor ")?.lowerBound
            #expect(major != nil && minor != nil && major! < minor!, "\(format): severities out of order")
            if format != "csv" {
                let text = whole
                #expect(text.contains("NIST AI RMF 1.0") && text.contains("ISO/IEC 42001:2023"), "\(format): framework names")
                #expect(!text.contains("nist-ai-rmf assessed") && !text.contains("| nist-ai-rmf |") && !text.contains(">nist-ai-rmf<"),
                        "\(format): a framework key where its name belongs")
            }
        }
        let json = try ws.run("report", "risks", "--format", "json").json
        let frameworks = try #require((json["kpis"] as? [String: Any])?["frameworks"] as? [[String: Any]])
        #expect(frameworks.map { $0["name"] as? String } == ["NIST AI RMF 1.0", "ISO/IEC 42001:2023"])
    }
}

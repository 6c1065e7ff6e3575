import FieldbookCatalogs
import FieldbookReports
import Testing

/// The HTML reports come from Mustache templates shipped as resources: every report must find
/// them, and every text from the workspace must come out escaped.
struct HTMLTemplateTests {
    let library = try! CatalogLibrary.bundled()
    static let hostile = "<script>alert('x')</script> & \"Co\" {{kpis}}"
    static let escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot; {{kpis}}"

    var data: ReportData {
        ReportData(engagementID: "0193e100-0000-7000-8000-000000000001", engagementName: Self.hostile, scope: nil, assessors: [],
                   results: [:], risks: [], evidence: [], findings: [], unverifiedEvidence: [], library: library, today: "2026-01-01")
    }

    @Test("every report renders a whole page from the templates, the workspace's text escaped")
    func escapedPages() throws {
        let pages = try [
            ReportFormat.render(GapReport(framework: .iso42001, data: data), as: .html),
            ReportFormat.render(RiskRegister(data: data), as: .html),
            ReportFormat.render(StatementOfApplicability(data: data), as: .html),
            ReportFormat.render(ProgressReport(changes: [], document: data.document, library: library, by: .month), as: .html),
            ReportFormat.render(FindingsRegister(data: data), as: .html),
        ].map { String(decoding: $0, as: UTF8.self) }
        for page in pages {
            #expect(page.hasPrefix("<!DOCTYPE html>\n") && page.hasSuffix("</body></html>\n"))
            #expect(page.contains("<p class=\"sub\">\(Self.escaped)"))
            #expect(!page.contains("<script") && !page.contains("{{$"))
        }
        #expect(pages[1].contains("<title>Risk heat map: likelihood against impact</title>"))
        #expect(pages[3].contains("<title>Burn-up: requirements assessed and gaps closed over time</title>"))
    }
}

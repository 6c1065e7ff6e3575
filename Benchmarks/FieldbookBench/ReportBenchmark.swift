import FieldbookCatalogs
import FieldbookModel
import FieldbookReplica
import FieldbookReports
import FieldbookStore
import Foundation

/// Reports over a large workspace: 10k risks (each linked to a requirement) and every
/// requirement of both frameworks assessed.
enum ReportBenchmark {
    static func run() throws {
        defer { StoreBenchmark.cleanup() }
        let library = try CatalogLibrary.bundled()
        let workspace = try StoreBenchmark.freshWorkspace("reports")
        let changes = try LargeEngagement.changes(library: library)
        let requirements = library.frameworks.flatMap(\.assessable)
        _ = try workspace.apply(remote: changes)
        var data: ReportData?
        let load = try measure { data = try ReportData.load(workspace, library: library) }
        var sizes: [String: Int] = [:]
        let risks = try measure { sizes["risks.html"] = try ReportFormat.render(RiskRegister(data: data!), as: .html).count }
        let gap = try measure { sizes["gap.json"] = try ReportFormat.render(GapReport(framework: .iso42001, data: data!), as: .json).count }
        let gapHTML = try measure { sizes["gap.html"] = try ReportFormat.render(GapReport(framework: .nistAIRMF, data: data!), as: .html).count }
        let risksWord = try measure { sizes["risks.docx"] = try ReportFormat.render(RiskRegister(data: data!), as: .docx).count }
        let gapWord = try measure { sizes["gap.docx"] = try ReportFormat.render(GapReport(framework: .nistAIRMF, data: data!), as: .docx).count }
        let findings = try measure { sizes["findings.html"] = try ReportFormat.render(FindingsRegister(data: data!), as: .html).count }
        let oscal = try measure { sizes["oscal"] = try JSONEncoder().encode(OSCALAssessmentResults.document(data!)).count }
        print("reports: 10,000 risks, \(requirements.count) requirements assessed (\(changes.count) changes)")
        print(String(format: "  load snapshot %.3f s; risk register HTML %.3f s (%d bytes); gap JSON %.3f s; gap HTML %.3f s; OSCAL %.3f s",
                     load, risks, sizes["risks.html"]!, gap, gapHTML, oscal))
        print(String(format: "  risk register DOCX %.3f s (%d bytes); gap DOCX %.3f s (%d bytes); findings register HTML %.3f s",
                     risksWord, sizes["risks.docx"]!, gapWord, sizes["gap.docx"]!, findings))
    }
}

/// The large engagement the report and workbench benchmarks share: every requirement of both
/// frameworks assessed and 10,000 risks, each linked to a requirement, by one remote assessor.
enum LargeEngagement {
    static func changes(library: CatalogLibrary) throws -> [Change] {
        var replica = Replica(author: "Remote assessor")
        var now: UInt64 = 1_700_000_000_000
        var changes: [Change] = []
        let requirements = library.frameworks.flatMap(\.assessable)
        for (index, requirement) in requirements.enumerated() {
            now += 1
            let status = AssessmentStatus.allCases[index % 4].rawValue
            changes.append(try replica.write(.set(EntityID.result(for: requirement.id), .result, field: "status", .enumCase(status)), now: now))
        }
        for index in 0..<10_000 {
            now += 1
            let risk = EntityID(String(format: "0193e100-0000-7000-8000-%012d", index))!
            changes.append(try replica.write(.set(risk, .risk, field: "title", .text("Risk \(index)")), now: now))
            changes.append(try replica.write(.set(risk, .risk, field: "likelihood", .integer(Int64(index % 5 + 1))), now: now))
            changes.append(try replica.write(.set(risk, .risk, field: "impact", .integer(Int64(index / 5 % 5 + 1))), now: now))
            changes.append(try replica.write(.link(risk, .risk, field: "requirements", target: requirements[index % requirements.count].id.qualified), now: now))
        }
        return changes
    }

    /// `fieldbook-bench large-workspace DIR`: the engagement as a workspace at DIR, for `bench-ui.sh`.
    static func make(at folder: String) throws {
        let workspace = try Workspace.create(at: WorkspaceLocation(root: URL(fileURLWithPath: folder)), engagement: EntityID("bench")!,
                                             assessor: "Bench", engagementName: "Large engagement", scope: nil)
        _ = try workspace.apply(remote: try changes(library: try CatalogLibrary.bundled()))
    }
}

import ArgumentParser
import FieldbookCatalogs
import FieldbookModel
import FieldbookReports
import FieldbookStore

/// `fieldbook show ID`: a requirement with its result, linked evidence, risks and findings,
/// and what the crosswalk infers for it from the other framework's results.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a requirement's result, evidence, risks, findings and crosswalk inference.")

    @Argument(help: "A requirement (GV-1.1, A.6.2.4) or the id of a risk, evidence file, finding or request.") var id: String
    @OptionGroup var output: OutputOptions

    func run() throws {
        let library = try Catalogs.library()
        let workspace = try WorkspaceContext.open()
        let requirement: Requirement
        do {
            requirement = try library.index.resolve(id)
        } catch {
            if case .unknown = error, let entity = try? EntityLookup.any(id, in: workspace) {
                try output.emit(EntityDocument(entity)) { EntityText.print(entity) }
                return
            }
            _ = try Catalogs.resolve(id, in: library)
            return
        }
        let document = try RequirementView.make(requirement, workspace: workspace, library: library)
        try output.emit(document) { document.printText() }
    }
}

/// Finds a risk, evidence file, finding or evidence request by id or unique prefix, whatever its kind.
enum EntityLookup {
    static func any(_ input: String, in workspace: Workspace) throws -> EntityRecord {
        for kind in [EntityKind.risk, .evidence, .finding, .request, .interview, .test] {
            if let id = try? workspace.resolveEntity(input, kind: kind), let record = try workspace.record(id) { return record }
        }
        throw CLIError.notFound("No requirement, risk, evidence, finding, request, interview or test '\(input)'.")
    }
}

struct RequirementView: Encodable {
    let requirement: RequirementSummaryDocument
    let text: String?
    let result: EntityDocument?
    let evidence: [EntityDocument]
    let risks: [EntityDocument]
    let findings: [EntityDocument]
    /// Interviews speaking to it and sampled tests of its control, with their conclusions (issue 30).
    let interviews: [EntityDocument]
    let tests: [TestConclusionDocument]
    let inference: InferenceDocument

    /// A sampled test on a requirement's page: what it tested and where it stands.
    struct TestConclusionDocument: Encodable {
        let id: String
        let title: String?
        let conclusion: String
        let summary: String
    }

    struct InferenceDocument: Encodable {
        let inferred = true
        let framework: String
        let signal: String
        let summary: String
        let disagreement: Bool
        let related: [Related]
        /// Evidence linked to the related requirements: candidates for this one too.
        let candidateEvidence: [Candidate]
        /// Chains through imported mapping sets, explained row by row; nil when there are none.
        let paths: [MappingInference.Path]?

        enum CodingKeys: String, CodingKey {
            case inferred, framework, signal, summary, disagreement, related
            case candidateEvidence = "candidate_evidence", paths
        }

        struct Related: Encodable {
            let id: String
            let relationship: String
            let status: String?
            let publishedRef: String
            let note: String?

            enum CodingKeys: String, CodingKey {
                case id, relationship, status, note
                case publishedRef = "published_ref"
            }
        }

        struct Candidate: Encodable {
            let evidence: String
            let filename: String?
            let via: String
        }
    }

    static func make(_ requirement: Requirement, workspace: Workspace, library: CatalogLibrary) throws -> RequirementView {
        let result = try workspace.result(for: requirement.id)
        let own = result?.as(AssessmentResult.self)?.status
        let inference = CrosswalkInference(requirement: requirement.id, own: own, crosswalk: library.crosswalk) { other in
            (try? workspace.result(for: other))??.as(AssessmentResult.self)?.status
        }
        let evidence = try workspace.entities(.evidence, linkedTo: requirement.id)
        let ownEvidence = Set(evidence.map(\.id))
        let paths = MappingInference(requirement: requirement.id, library: library) { other in
            (try? workspace.result(for: other))??.as(AssessmentResult.self)?.status
        }.throughLibraries
        var candidates: [InferenceDocument.Candidate] = []
        for related in inference.related {
            for item in try workspace.entities(.evidence, linkedTo: related.requirement) where !ownEvidence.contains(item.id) {
                candidates.append(.init(evidence: item.id.rawValue, filename: item.as(Evidence.self)?.filename, via: related.requirement.qualified))
            }
        }
        return RequirementView(
            requirement: RequirementSummaryDocument(requirement), text: requirement.text, result: result.map(EntityDocument.init),
            evidence: evidence.map(EntityDocument.init),
            risks: try workspace.entities(.risk, linkedTo: requirement.id).map(EntityDocument.init),
            findings: try workspace.entities(.finding, linkedTo: requirement.id).map(EntityDocument.init),
            interviews: try workspace.entities(.interview, linkedTo: requirement.id).map(EntityDocument.init),
            tests: try workspace.entities(.test, linkedTo: requirement.id).compactMap { $0.as(SampledTest.self) }.map { test in
                let conclusion = try workspace.domain.items(of: test.id).conclusion
                return TestConclusionDocument(id: test.id.rawValue, title: test.title, conclusion: conclusion.word, summary: conclusion.sentence)
            },
            inference: InferenceDocument(
                framework: requirement.id.framework.other.rawValue, signal: inference.signal.rawValue, summary: inference.summary,
                disagreement: inference.disagreement,
                related: inference.related.map {
                    .init(id: $0.requirement.qualified, relationship: $0.relationship.rawValue, status: $0.status?.rawValue,
                          publishedRef: $0.row.publishedRef, note: $0.row.note)
                },
                candidateEvidence: candidates,
                paths: Optional(paths).flatMap { $0.isEmpty ? nil : $0 }))
    }

    func printText() {
        Terminal.print("\(requirement.id)  \(requirement.headline)")
        if let result, let fields = result.record.as(AssessmentResult.self) {
            var line = "Result: \(fields.status?.rawValue ?? "not recorded")"
            if let maturity = fields.maturity { line += ", maturity \(maturity)" }
            line += "  (\(fields.record.updatedBy), \(Timestamps.rfc3339(fields.record.updated)))"
            Terminal.print(line)
            if let note = fields.note { Terminal.print("Note: \(note)") }
            if !fields.conflictedFields.isEmpty { Terminal.print("CONFLICT in \(fields.conflictedFields.joined(separator: ", ")): see 'fieldbook conflicts'") }
        } else {
            Terminal.print("Result: not assessed")
        }
        for (title, items) in [("Evidence", evidence), ("Risks", risks), ("Findings", findings)] where !items.isEmpty {
            Terminal.print("\(title):")
            for item in items {
                Terminal.print("  \(item.record.id)  \(item.record.headline)")
            }
        }
        if !interviews.isEmpty { Terminal.print("Interviews:") }
        for item in interviews.compactMap({ $0.record.as(Interview.self) }) {
            Terminal.print("  \(item.id)  \(item.date ?? "-")  \(item.with)")
        }
        if !tests.isEmpty { Terminal.print("Sampled tests:") }
        for test in tests { Terminal.print("  \(test.id)  \(test.title ?? "")  \(test.summary)") }
        // The bundled crosswalk relates only the two bundled frameworks; an imported one has mapping sets instead.
        if FrameworkID.bundled.map(\.rawValue).contains(requirement.framework) {
            Terminal.print("Crosswalk (inferred from \(inference.framework), not an assessment): \(inference.summary)")
        }
        if inference.disagreement { Terminal.print("  ! this result disagrees with related results in \(inference.framework)") }
        for related in inference.related {
            Terminal.print("  \(related.id)  \(related.status ?? "not assessed")")
        }
        for candidate in inference.candidateEvidence {
            Terminal.print("  candidate evidence \(candidate.evidence) \(candidate.filename ?? "") (linked to \(candidate.via))")
        }
        guard let paths = inference.paths else { return }
        Terminal.print("Through mapping sets (inferred, not an assessment): \(MappingInference.signal(of: paths).summary)")
        for path in paths {
            Terminal.print("  \(path.source) \(path.status), \(path.coverage) coverage:")
            for hop in path.hops { Terminal.print("    \(hop.from) \(hop.relationship) \(hop.to)  (\(hop.set))") }
        }
    }
}

/// Plain-text lines for one risk, evidence file or finding.
enum EntityText {
    static func print(_ record: EntityRecord) {
        Terminal.print("\(record.kind.rawValue) \(record.id)\(record.deleted ? "  (deleted)" : "")")
        for (field, value) in record.fields.sorted(by: { $0.key < $1.key }) where field != EntitySchema.deletedField {
            Terminal.print("  \(field): \(value)")
        }
        for (field, targets) in record.links.sorted(by: { $0.key < $1.key }) {
            Terminal.print("  \(field): \(targets.joined(separator: ", "))")
        }
        if !record.conflictedFields.isEmpty { Terminal.print("  CONFLICT in \(record.conflictedFields.joined(separator: ", "))") }
        Terminal.print("  last changed by \(record.updatedBy) at \(Timestamps.rfc3339(record.updated))")
    }
}

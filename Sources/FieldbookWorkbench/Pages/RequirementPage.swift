import FieldbookCatalogs
import FieldbookModel
import FieldbookReports
import FieldbookStore
import Foundation
import Hummingbird

/// `/requirements/{framework:id}`: one requirement as an assessor works on it: its result,
/// maturity and note (a form), its evidence (upload by file picker or drag and drop), the
/// evidence requests for it (and a form to ask the client for more), its sampled tests (with
/// their conclusions) and the interviews that speak to it, the risks and findings
/// that name it, what the crosswalk and imported mapping sets infer for it row by row, and the
/// history of its result.
enum RequirementPage: WorkbenchPages {
    static func add(to router: Router<WorkbenchContext>, workbench: Workbench) {
        router.get("/requirements/:id") { _, context in
            let page = try PageContext(workbench, context: context)
            guard let requirement = try requirement(context, page.catalogs) else { return notFound(context) }
            return try page.page("\(requirement.ref) \(requirement.title ?? "")", current: "/frameworks/\(requirement.id.framework.rawValue)",
                                 try body(page, requirement))
        }
        router.post("/requirements/:id/assess") { request, context in
            try await Action.run(workbench, request, context) { form, workspace in
                let library = try workspace.libraries.catalogs(mappings: false).library
                guard let requirement = try requirement(context, library) else { throw WorkbenchRefusal(.notFound, notFoundSentence(context)) }
                guard let status = form["status"].flatMap(AssessmentStatus.init(rawValue:)) else {
                    throw WorkbenchRefusal(.badRequest, "Choose a result for \(requirement.id.qualified).")
                }
                let entity = EntityID.result(for: requirement.id)
                var edits = EntityEdits<ResultField>(entity, current: try workspace.record(entity))
                try edits.set(.status, status)
                try edits.set(.maturity, try form.integer("maturity", label: "Maturity"))
                if let note = form["note"] { try edits.set(.note, note) }
                let wrote = try workspace.domain.write(edits)
                return "\(requirement.id.qualified): \(status.rawValue)" + (wrote ? " recorded." : " (unchanged).")
            }
        }
        router.post("/requirements/:id/evidence") { request, context in
            try await EvidenceFiles.receive(workbench, request, context) { files, fields, workspace in
                guard let requirement = try requirement(context, try workspace.libraries.catalogs(mappings: false).library) else {
                    throw WorkbenchRefusal(.notFound, notFoundSentence(context))
                }
                for file in files {
                    _ = try workspace.domain.attachEvidence(contentsOf: file.file, filename: file.filename, description: fields.text("description"),
                                                            requirements: [requirement.id.qualified], systems: [])
                }
                return "Attached \(files.map(\.filename).joined(separator: ", ")) to \(requirement.id.qualified)."
            }
        }
    }

    static func requirement(_ context: WorkbenchContext, _ library: CatalogLibrary) throws -> Requirement? {
        let id = try context.parameters.require("id")
        return RequirementID(qualified: id).flatMap { library.index[$0] }.flatMap { library.catalog($0.id.framework)[$0.id] }
    }

    static func notFoundSentence(_ context: WorkbenchContext) -> String {
        "No requirement '\(context.parameters.get("id") ?? "")' in the engagement's catalogs; find it under its framework in the navigation."
    }

    static func notFound(_ context: WorkbenchContext) -> Response { Refusal.page(.notFound, notFoundSentence(context)) }

    static func body(_ page: PageContext, _ requirement: Requirement) throws -> HTML {
        let workspace = page.workspace
        let path = "/requirements/\(requirement.id.qualified)"
        let entity = EntityID.result(for: requirement.id)
        let result = try workspace.entity(AssessmentResult.self, entity)
        var parts: [HTML] = [
            H.h1("\(requirement.ref) \(requirement.title ?? "")"),
            requirement.text.map { H.p(.text($0)) } ?? .empty,
        ]
        if let decision = try workspace.entity(ControlApplicability.self, EntityID.applicability(for: requirement.id)), let applicability = decision.applicability {
            parts.append(H.p(.text("Statement of Applicability: \(applicability.rawValue)"
                                   + (decision.justification.map { " (\($0))" } ?? "") + ". "), H.a("/applicability", "Change it")))
        }
        if requirement.assessable {
            parts.append(ConflictAlert.of(result?.record))
            parts.append(H.h2("Result"))
            parts.append(page.form("\(path)/assess", back: path, [
                H.field("Result", id: "status", H.select("status", id: "status", options: H.choices(AssessmentStatus.self),
                                                       selected: result?.status?.rawValue, blank: "choose a result")),
                H.field("Maturity (0 to 5)", id: "maturity", H.select("maturity", id: "maturity", options: (0...5).map { (String($0), String($0)) },
                                                                    selected: result?.maturity.map(String.init), blank: "not rated")),
                H.field("Note: what you observed", id: "note", H.textarea("note", id: "note", value: result?.note)),
                H.button("Record result"),
            ]))
        } else {
            let parts2 = page.catalogs.catalog(requirement.id.framework).children(of: requirement.id)
            parts.append(H.p("A \(requirement.level.rawValue) takes no result; assess what is below it."))
            parts.append(H.ul(parts2.map { H.li(H.a("/requirements/\($0.id.qualified)", .text("\($0.ref) \($0.title ?? "")"))) }))
        }
        parts.append(try evidence(page, requirement, path: path))
        parts.append(try RequestPages.forRequirement(page, requirement.id, path: path))
        parts.append(try TestPages.forRequirement(page, requirement.id))
        parts.append(try InterviewPages.forRequirement(page, requirement.id))
        parts.append(try linked(page, requirement))
        if requirement.assessable { parts.append(inference(page, requirement)) }
        parts.append(try ChangeHistory.section(workspace, entity, caption: "Every change to this requirement's result, oldest first", none: "No result recorded yet."))
        return .group(parts)
    }

    static func evidence(_ page: PageContext, _ requirement: Requirement, path: String) throws -> HTML {
        let items = try page.workspace.entities(.evidence, linkedTo: requirement.id).compactMap { $0.as(Evidence.self) }.filter { !$0.deleted }
        let list: HTML = items.isEmpty ? H.p("No evidence yet.") : EvidenceFiles.table(items, caption: "Evidence for \(requirement.ref)")
        let upload = EvidenceFiles.uploadForm(page, action: "\(path)/evidence", back: path, button: "Attach evidence")
        return [H.h2("Evidence"), list, upload]
    }

    static func linked(_ page: PageContext, _ requirement: Requirement) throws -> HTML {
        let risks = try page.workspace.entities(.risk, linkedTo: requirement.id).compactMap { $0.as(Risk.self) }.filter { !$0.deleted }
        let findings = try page.workspace.entities(.finding, linkedTo: requirement.id).compactMap { $0.as(Finding.self) }.filter { !$0.deleted }
        return [
            H.h2("Risks"),
            risks.isEmpty ? H.p("No risk names this requirement.") : H.ul(risks.map { risk in
                H.li(H.a("/risks/\(risk.id.rawValue)", .text(risk.title ?? risk.id.rawValue)), .text(" " + (risk.level.map { "(\($0.rawValue))" } ?? "")))
            }),
            H.h2("Findings"),
            findings.isEmpty ? H.p("No finding names this requirement.") : H.ul(findings.map { finding in
                H.li(H.a("/findings/\(finding.id.rawValue)", .text(finding.title ?? finding.id.rawValue)),
                     .text(" (\(finding.severity?.rawValue ?? "unrated"), \(finding.status?.rawValue ?? "open"))"))
            }),
        ]
    }

    /// What the other framework's results suggest here, row by row, as `show` explains it.
    static func inference(_ page: PageContext, _ requirement: Requirement) -> HTML {
        let workspace = page.workspace
        let status = { (id: RequirementID) in (try? workspace.result(for: id))??.as(AssessmentResult.self)?.status }
        let inference = CrosswalkInference(requirement: requirement.id, own: status(requirement.id), crosswalk: page.catalogs.crosswalk, status: status)
        let paths = MappingInference(requirement: requirement.id, library: page.catalogs, status: status).throughLibraries
        var parts: [HTML] = [H.h2("Inferred through the crosswalk"), H.p(.text(inference.summary + "."))]
        if !inference.related.isEmpty {
            parts.append(H.table(caption: "Crosswalk rows for \(requirement.ref)", header: ["related requirement", "relationship", "its result", "published as", "note"],
                                 rows: inference.related.map { row in
                                     [H.a("/requirements/\(row.requirement.qualified)", .text(row.requirement.qualified)), .text(row.relationship.rawValue),
                                      .text(row.status?.rawValue ?? "not assessed"), .text(row.row.publishedRef), .text(row.row.note ?? "")]
                                 }))
        }
        if !paths.isEmpty {
            parts.append(H.ul(paths.map { path in
                H.li(.text("\(path.source) (\(path.status)): " + path.hops.map { "\($0.from) \($0.relationship) \($0.to) in \($0.set)" }.joined(separator: ", then ")))
            }))
        }
        return .group(parts)
    }
}

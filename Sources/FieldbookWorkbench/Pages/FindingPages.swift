import FieldbookModel
import FieldbookReports
import FieldbookStore
import Hummingbird

/// `/findings`: findings graded as auditors grade them and their corrective actions (ISO/IEC
/// 42001 10.2), open ones first, soonest due first, overdue ones marked, a page of 100 at a time,
/// with a form to record one; `/findings/{id}`: one finding, its fields in a form, its
/// requirements, the verification of its effectiveness, and "close" (with the reason to close a
/// nonconformity without an effective verification). The domain decides what may close.
enum FindingPages: WorkbenchPages {
    static func add(to router: Router<WorkbenchContext>, workbench: Workbench) {
        router.get("/findings") { request, context in
            let page = try PageContext(workbench, context: context)
            return try page.page("Findings", current: "/findings", try register(page, number: request.pageNumber))
        }
        router.get("/findings/:id") { _, context in
            let page = try PageContext(workbench, context: context)
            return try page.entityPage(context, find: { try $0.live(Finding.self, $1) }) { finding in
                try page.page(finding.title ?? "Finding", current: "/findings", try detail(page, finding))
            }
        }
        router.post("/findings") { request, context in
            try await Action.run(workbench, request, context) { form, workspace in
                let id = EntityID(UUIDv7.make())!
                var edits = EntityEdits<FindingField>(id)
                try set(&edits, form)
                // As `finding add`: a new finding is open unless the form says otherwise.
                if form.text("status") == nil { try edits.set(.status, FindingStatus.open) }
                edits.link(.requirements, try LinkedRequirements.read(form, workspace))
                try workspace.domain.write(edits)
                return "Recorded finding \(form["title"] ?? "")."
            }
        }
        router.post("/findings/:id") { request, context in
            try await Action.run(workbench, request, context) { form, workspace in
                let finding = try workspace.domain.live(Finding.self, try context.parameters.require("id"))
                var edits = EntityEdits<FindingField>(finding.id, current: finding.record)
                try set(&edits, form)
                edits.linkMissing(.requirements, try LinkedRequirements.read(form, workspace))
                edits.unlinkPresent(.requirements, form.all("unlink"))
                return try workspace.domain.write(edits) ? "Saved finding \(finding.id)." : "Nothing changed."
            }
        }
        router.post("/findings/:id/close") { request, context in
            try await Action.run(workbench, request, context) { form, workspace in
                let finding = try workspace.domain.live(Finding.self, try context.parameters.require("id"))
                return try workspace.domain.close(finding.id.rawValue, override: form.text("override"))
                    ? "Closed finding \(finding.id)." : "Finding \(finding.id) is closed already."
            }
        }
        router.post("/findings/:id/verify") { request, context in
            try await Action.run(workbench, request, context) { form, workspace in
                let finding = try workspace.domain.live(Finding.self, try context.parameters.require("id"))
                guard let result = form.text("verification").flatMap(VerificationResult.init(rawValue:)) else {
                    throw WorkbenchRefusal(.badRequest, "Say whether the correction proved effective or not effective.")
                }
                let wrote = try workspace.domain.verify(finding.id.rawValue, result: result, by: form.text("verified_by"),
                                                        on: form.text("verified_on"), evidence: form.all("verification_evidence"))
                return wrote ? "Recorded the verification of finding \(finding.id): \(result.rawValue)." : "Nothing changed."
            }
        }
    }

    /// The fields as the form gives them; a blank field leaves the value as it is. The domain
    /// refuses a blank title or owner, a due date that is not `YYYY-MM-DD`, and (on a new
    /// finding) no requirement.
    static func set(_ edits: inout EntityEdits<FindingField>, _ form: FormInput) throws {
        if let title = form["title"] { try edits.set(.title, title) }
        try edits.set(.severity, form.text("severity").flatMap(FindingSeverity.init(rawValue:)))
        try edits.set(.status, form.text("status").flatMap(FindingStatus.init(rawValue:)))
        try edits.set(.source, form.text("source").flatMap(FindingSource.init(rawValue:)))
        try edits.set(.owner, form.text("owner"))
        try edits.set(.due, form.text("due"))
        try edits.set(.correction, form.text("correction"))
        try edits.set(.rootCause, form.text("root_cause"))
        try edits.set(.correctiveAction, form.text("corrective_action"))
        try edits.set(.description, form.text("description"))
    }

    static func fields(_ finding: Finding?) -> [HTML] {
        [
            H.field("Title", id: "title", H.input("title", id: "title", value: finding?.title, required: true)),
            H.field("Severity", id: "severity", H.select("severity", id: "severity", options: H.choices(FindingSeverity.self),
                                                       selected: finding?.severity?.rawValue, blank: "not rated")),
            finding == nil ? LinkedRequirements.field(required: true) : .empty,
            H.field("Status", id: "status", H.select("status", id: "status", options: H.choices(FindingStatus.self),
                                                   selected: (finding?.status ?? .open).rawValue)),
            H.field("Source", id: "source", H.select("source", id: "source", options: H.choices(FindingSource.self),
                                                   selected: finding?.source?.rawValue, blank: "not said")),
            H.field("Owner of the corrective action", id: "owner", H.input("owner", id: "owner", value: finding?.owner)),
            H.field("Corrective action due", id: "due", H.input("due", id: "due", type: "date", value: finding?.due), hint: "YYYY-MM-DD"),
            H.field("Correction: what was done at once", id: "correction", H.textarea("correction", id: "correction", value: finding?.correction)),
            H.field("Root cause", id: "root_cause", H.textarea("root_cause", id: "root_cause", value: finding?.rootCause),
                    hint: "Nonconformities; observations and opportunities for improvement need none."),
            H.field("Corrective action", id: "corrective_action", H.textarea("corrective_action", id: "corrective_action", value: finding?.correctiveAction)),
            H.field("Description: what was found", id: "description", H.textarea("description", id: "description", value: finding?.description)),
        ]
    }

    static func register(_ page: PageContext, number: Int) throws -> HTML {
        let today = Today.utc()
        // Open ones first, then by due date (none last), then as recorded.
        let findings = try page.workspace.all(Finding.self).sorted {
            ($0.status == .closed ? 1 : 0, $0.due ?? "9999", $0.id) < ($1.status == .closed ? 1 : 0, $1.due ?? "9999", $1.id)
        }
        let overdue = findings.filter { $0.isOverdue(today: today) }.count
        let paged = Pager(findings, number: number)
        let table = H.table(caption: "Findings, open first, soonest due first (page \(paged.number) of \(paged.pages))",
                            header: ["finding", "severity", "status", "owner", "due", "requirements"],
                            rows: paged.shown.map { finding in
                                [H.a("/findings/\(finding.id.rawValue)", .text(finding.title ?? finding.id.rawValue)),
                                 .text(finding.severity?.rawValue ?? ""), .text(finding.status?.rawValue ?? ""), .text(finding.owner ?? ""),
                                 due(finding, today: today), requirementLinks(finding.requirements)]
                            })
        return [
            H.h1("Findings"), H.p(.text("\(findings.count) findings recorded, \(overdue) with an overdue corrective action.")),
            findings.isEmpty ? H.p("No finding recorded yet.") : table,
            paged.links("/findings"),
            H.h2("Record a finding"), page.form("/findings", back: "/findings", fields(nil) + [H.button("Record finding")]),
        ]
    }

    /// The due date, marked when the corrective action is overdue.
    static func due(_ finding: Finding, today: String) -> HTML {
        H.due(finding.due, overdue: finding.isOverdue(today: today))
    }

    static func requirementLinks(_ ids: [String]) -> HTML {
        .group(ids.enumerated().map { index, id in [index == 0 ? .empty : ", ", H.a("/requirements/\(id)", .text(id))] })
    }

    static func detail(_ page: PageContext, _ finding: Finding) throws -> HTML {
        let path = "/findings/\(finding.id.rawValue)"
        let today = Today.utc()
        return [
            H.h1(finding.title ?? "Finding"),
            H.p(.text("Severity \(finding.severity?.rawValue ?? "not rated"), \(finding.status?.rawValue ?? "open"). Due "),
                due(finding, today: today), .text(finding.due == nil ? "not set. " : ". "), .text("Recorded by \(finding.record.updatedBy).")),
            ConflictAlert.of(finding.record),
            verification(finding),
            finding.status == .closed ? .empty : page.form("\(path)/close", back: path, class: "inline", closeFields(finding)),
            page.form(path, back: path, fields(finding) + [
                LinkedRequirements.list(finding.requirements),
                LinkedRequirements.field(),
                H.button("Save finding"),
            ]),
            H.h2("Verify the correction's effectiveness"),
            page.form("\(path)/verify", back: path, try verifyFields(page, finding)),
        ]
    }

    /// What the verification says, or that a nonconformity awaits one.
    static func verification(_ finding: Finding) -> HTML {
        if let result = finding.verification {
            return H.p(.text(Finding.verified(result.rawValue, by: finding.verifiedBy, on: finding.verifiedOn) + "."))
        }
        if let reason = finding.closedWithoutVerification {
            return H.p(H.span("override", class: "tag alert"), .text(" " + Finding.closedWithout(reason)))
        }
        return finding.severity?.isNonconformity == true ? H.p("Not verified yet: a nonconformity closes once its correction is verified effective.") : .empty
    }

    /// The close button, and for a nonconformity not verified effective the reason to close it
    /// without (the override); the domain refuses a close with neither.
    static func closeFields(_ finding: Finding) -> [HTML] {
        let needsReason = finding.severity?.isNonconformity == true && finding.verification != .effective
        return (needsReason ? [H.field("Reason to close without an effective verification", id: "override",
                                       H.input("override", id: "override"), hint: "The register shows it.")] : [])
            + [H.button("Close finding", class: "secondary")]
    }

    /// The verification form: the result, who and when (the assessor and today when left
    /// blank), and the evidence files on the finding's requirements it rests on.
    static func verifyFields(_ page: PageContext, _ finding: Finding) throws -> [HTML] {
        var seen = Set<EntityID>()
        let evidence = try finding.requirements.compactMap(RequirementID.init(qualified:))
            .flatMap { try page.workspace.entities(.evidence, linkedTo: $0) }.filter { seen.insert($0.id).inserted }
        let boxes: [HTML] = evidence.map { record in
            let id = "verification-evidence-\(record.id.rawValue)"
            return .element("div", [("class", "field")], [
                H.input("verification_evidence", id: id, type: "checkbox", value: record.id.rawValue,
                        extra: [("checked", finding.verificationEvidence.contains(record.id.rawValue) ? "" : nil)]),
                .element("label", [("for", id)], [.text(" " + record.headline)]),
            ])
        }
        return [
            H.field("Result", id: "verification", H.select("verification", id: "verification", options: H.choices(VerificationResult.self),
                                                          selected: finding.verification?.rawValue, blank: "choose")),
            H.field("Verified by", id: "verified_by", H.input("verified_by", id: "verified_by", value: finding.verifiedBy),
                    hint: "You, when left blank."),
            H.field("Verified on", id: "verified_on", H.input("verified_on", id: "verified_on", type: "date", value: finding.verifiedOn),
                    hint: "YYYY-MM-DD; today when left blank."),
        ] + boxes + [H.button("Record verification")]
    }
}

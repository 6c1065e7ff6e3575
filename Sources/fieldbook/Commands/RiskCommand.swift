import ArgumentParser
import FieldbookModel
import FieldbookReplica
import FieldbookReports
import FieldbookStore

/// `fieldbook risk add|update|delete|list`: the engagement's AI risk register.
struct RiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk", abstract: "Log and maintain AI risks.", subcommands: [Add.self, Update.self, Accept.self, Delete.self, List.self])

    /// The register fields add and update share; nil leaves a field as it is.
    static func set(_ edits: inout EntityEdits<RiskField>, title: String?, likelihood: Int?, impact: Int?, owner: String?,
                    treatment: RiskTreatment?, status: RiskStatus?, description: String?) throws {
        try edits.set(.title, title)
        try edits.set(.likelihood, likelihood)
        try edits.set(.impact, impact)
        try edits.set(.owner, owner)
        try edits.set(.treatment, treatment)
        try edits.set(.status, status)
        try edits.set(.description, description)
    }

    static let treatmentHelp = ArgumentHelp(
        "modify, avoid, share or retain (ISO 31000); mitigate, accept and transfer, as earlier releases wrote them, are read as modify, retain and share.")

    /// The risk's treatment (ISO/IEC 42001 6.1.3) as add and update take it: the controls
    /// treating it, what is left after treatment, and who accepted what is left.
    struct TreatmentOptions: ParsableArguments {
        @Option(name: .customLong("treated-by"), help: "A control treating the risk, any framework's requirement (repeatable).")
        var treatedBy: [String] = []
        @Option(name: .customLong("residual-likelihood"), help: "Likelihood after treatment, 1 to 5.") var residualLikelihood: Int?
        @Option(name: .customLong("residual-impact"), help: "Impact after treatment, 1 to 5.") var residualImpact: Int?
        @Option(name: .customLong("accepted-by"), help: "Who accepted the residual risk (the risk owner or management).") var acceptedBy: String?
        @Option(name: .customLong("accepted-on"), help: "When it was accepted, YYYY-MM-DD (default today with --accepted-by).") var acceptedOn: String?

        var isEmpty: Bool { treatedBy.isEmpty && residualLikelihood == nil && residualImpact == nil && acceptedBy == nil && acceptedOn == nil }

        /// The fields set, the treating controls linked (those already linked are left as they are).
        func apply(to edits: inout EntityEdits<RiskField>) throws {
            edits.linkMissing(.treatedBy, try RequirementOptions.resolve(treatedBy))
            try edits.set(.residualLikelihood, residualLikelihood)
            try edits.set(.residualImpact, residualImpact)
            try edits.accept(by: acceptedBy, on: acceptedOn, note: nil, today: Today.utc())
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Log a new risk; prints its id.")
        @Argument(help: "A short title.") var title: String
        @Option(help: "Likelihood, 1 (rare) to 5 (almost certain).") var likelihood: Int
        @Option(help: "Impact, 1 (negligible) to 5 (severe).") var impact: Int
        @Option(help: "Who owns the risk.") var owner: String?
        @Option(help: RiskCommand.treatmentHelp) var treatment: RiskTreatment?
        @Option(help: "open, mitigated or closed (default open).") var status: RiskStatus = .open
        @Option(help: "A longer description.") var description: String?
        @Option(name: .customLong("requirement"), help: "A requirement the risk relates to (repeatable).") var requirements: [String] = []
        @Option(name: .customLong("system"), help: "An AI system the risk concerns, by name or id (repeatable).") var systems: [String] = []
        @OptionGroup var treatmentOptions: TreatmentOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            let links = try RequirementOptions.resolve(requirements)
            let workspace = try WorkspaceContext.open()
            let id = EntityID(UUIDv7.make())!
            var edits = EntityEdits<RiskField>(id)
            try RiskCommand.set(&edits, title: title, likelihood: likelihood, impact: impact, owner: owner, treatment: treatment,
                                status: status, description: description)
            edits.link(.requirements, links)
            edits.link(.systems, try workspace.domain.systemIDs(systems))
            try treatmentOptions.apply(to: &edits)
            try workspace.domain.write(edits)
            try output.emit(try workspace.record(id).map(EntityDocument.init)) { Terminal.print(id.rawValue) }
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a risk's fields or links.")
        @Argument(help: "The risk's id (or a unique prefix of it).") var risk: String
        @Option(help: "A new title.") var title: String?
        @Option(help: "Likelihood, 1 to 5.") var likelihood: Int?
        @Option(help: "Impact, 1 to 5.") var impact: Int?
        @Option(help: "Who owns the risk.") var owner: String?
        @Option(help: RiskCommand.treatmentHelp) var treatment: RiskTreatment?
        @Option(help: "open, mitigated or closed.") var status: RiskStatus?
        @Option(help: "A longer description.") var description: String?
        @Option(name: .customLong("requirement"), help: "Link a requirement (repeatable).") var requirements: [String] = []
        @Option(name: .customLong("unlink"), help: "Unlink a requirement (repeatable).") var unlinks: [String] = []
        @Option(name: .customLong("system"), help: "Link an AI system, by name or id (repeatable).") var systems: [String] = []
        @OptionGroup var treatmentOptions: TreatmentOptions
        @Option(name: .customLong("untreated-by"), help: "A control that no longer treats the risk (repeatable).") var untreatedBy: [String] = []
        @OptionGroup var output: OutputOptions

        func run() throws {
            let links = try RequirementOptions.resolve(requirements), removals = try RequirementOptions.resolve(unlinks)
            let untreated = try RequirementOptions.resolve(untreatedBy)
            let workspace = try WorkspaceContext.open()
            let record = try workspace.domain.liveRecord(risk, kind: .risk)
            let systemIDs = try workspace.domain.systemIDs(systems)
            var edits = EntityEdits<RiskField>(record.id, current: record)
            try RiskCommand.set(&edits, title: title, likelihood: likelihood, impact: impact, owner: owner, treatment: treatment,
                                status: status, description: description)
            edits.link(.requirements, links)
            edits.unlinkPresent(.requirements, removals)
            edits.linkMissing(.systems, systemIDs)
            try treatmentOptions.apply(to: &edits)
            edits.unlinkPresent(.treatedBy, untreated)
            let asked = [title, owner, description].contains { $0 != nil } || likelihood != nil || impact != nil
                || treatment != nil || status != nil || !requirements.isEmpty || !unlinks.isEmpty || !systems.isEmpty
                || !treatmentOptions.isEmpty || !untreatedBy.isEmpty
            guard asked else { throw CLIError.badInput("Nothing to change; give at least one option such as --status mitigated.") }
            let wrote = try workspace.domain.write(edits)
            try output.emit(try workspace.record(record.id).map(EntityDocument.init)) {
                Terminal.print(!wrote ? "Risk \(record.id) unchanged: it already holds those values." : "Updated risk \(record.id)")
            }
        }
    }

    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the owner's acceptance of a risk's residual risk (ISO/IEC 42001 6.1.3 f).")
        @Argument(help: "The risk's id (or a unique prefix of it).") var risk: String
        @Option(help: "Who accepts the residual risk.") var by: String
        @Option(help: "When, YYYY-MM-DD (default today).") var on: String?
        @Option(help: "What the acceptance says (conditions, review date).") var note: String?
        @OptionGroup var output: OutputOptions

        func run() throws {
            let workspace = try WorkspaceContext.open()
            let record = try workspace.domain.liveRecord(risk, kind: .risk)
            var edits = EntityEdits<RiskField>(record.id, current: record)
            try edits.accept(by: by, on: on, note: note, today: Today.utc())
            let wrote = try workspace.domain.write(edits)
            try output.emit(try workspace.record(record.id).map(EntityDocument.init)) {
                Terminal.print(wrote ? "Risk \(record.id) accepted by \(by)." : "Risk \(record.id) unchanged: it already holds that acceptance.")
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a risk (kept in history; an edit made meanwhile elsewhere shows as a conflict).")
        @Argument(help: "The risk's id (or a unique prefix of it).") var risk: String

        func run() throws {
            try DeleteEntity.run(risk, kind: .risk)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The risk register, highest score first.")
        @Flag(help: "Include deleted risks.") var all = false
        @OptionGroup var output: OutputOptions

        func run() throws {
            let workspace = try WorkspaceContext.open()
            let risks = try workspace.all(Risk.self, includeDeleted: all)
            try output.emit(["risks": risks.map { EntityDocument($0.record) }]) {
                if risks.isEmpty { Terminal.print("No risks logged yet; 'fieldbook risk add TITLE --likelihood N --impact N' logs one.") }
                for risk in risks {
                    let l = risk.likelihood ?? 0, i = risk.impact ?? 0
                    let level = RiskRating(likelihood: l, impact: i).level.rawValue
                    var line = "\(risk.id)  \(level.padding(toLength: 8, withPad: " ", startingAt: 0)) L\(l) x I\(i)  \(risk.status?.rawValue ?? "")  \(risk.title ?? "")"
                    if risk.deleted { line += "  (deleted)" }
                    if !risk.conflictedFields.isEmpty { line += "  CONFLICT" }
                    Terminal.print(line)
                }
            }
        }
    }
}

/// Deleting any risk, evidence file or finding: a tombstone that has seen every live value.
enum DeleteEntity {
    static func run(_ input: String, kind: EntityKind) throws {
        let id = try WorkspaceContext.open().domain.delete(input, kind: kind)
        Terminal.print("Deleted \(kind.rawValue) \(id); its history stays in 'fieldbook history \(id)'.")
    }
}

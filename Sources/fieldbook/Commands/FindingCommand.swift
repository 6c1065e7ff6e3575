import ArgumentParser
import FieldbookModel
import FieldbookReplica
import FieldbookStore

/// `fieldbook finding add|update|verify|close|delete|list`: findings graded as auditors grade
/// them, and for nonconformities the correction, root cause, corrective action and the
/// verification of its effectiveness before they close (ISO/IEC 42001 clause 10.2).
struct FindingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finding", abstract: "Record nonconformities, observations and corrective actions.",
        subcommands: [Add.self, Update.self, Verify.self, Close.self, Delete.self, List.self])

    struct Fields: ParsableArguments {
        @Option(help: "The grade: major or minor (nonconformities), observation or opportunity-for-improvement.") var severity: FindingSeverity?
        @Option(help: "open, in-progress or closed.") var status: FindingStatus?
        @Option(help: "What was found.") var description: String?
        @Option(help: "What was done at once to contain the nonconformity.") var correction: String?
        @Option(name: .customLong("root-cause"), help: "Why the nonconformity happened.") var rootCause: String?
        @Option(name: .customLong("corrective-action"), help: "The corrective action agreed.") var correctiveAction: String?
        @Option(help: "Who owns the corrective action.") var owner: String?
        @Option(help: "When the corrective action is due (YYYY-MM-DD).") var due: String?
        @Option(help: "internal-audit, external-audit or self-assessment.") var source: FindingSource?
        @Option(name: .customLong("system"), help: "An AI system it concerns, by name or id (repeatable).") var systems: [String] = []

        var given: Bool {
            severity != nil || status != nil || source != nil || !systems.isEmpty || [description, correction, rootCause, correctiveAction, owner, due].contains { $0 != nil }
        }

        func apply(to edits: inout EntityEdits<FindingField>) throws {
            try edits.set(.severity, severity)
            try edits.set(.status, status)
            try edits.set(.description, description)
            try edits.set(.correction, correction)
            try edits.set(.rootCause, rootCause)
            try edits.set(.correctiveAction, correctiveAction)
            try edits.set(.owner, owner)
            try edits.set(.due, due)
            try edits.set(.source, source)
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a finding against one or more requirements; prints its id.")
        @Argument(help: "A short title.") var title: String
        @Option(name: .customLong("requirement"), help: "The requirement not met (repeatable).") var requirements: [String] = []
        @OptionGroup var fields: Fields
        @OptionGroup var output: OutputOptions

        func run() throws {
            let links = try RequirementOptions.resolve(requirements)
            let id = EntityID(UUIDv7.make())!
            var edits = EntityEdits<FindingField>(id)
            try edits.set(.title, title)
            if fields.status == nil { try edits.set(.status, FindingStatus.open) }
            try fields.apply(to: &edits)
            edits.link(.requirements, links)
            let workspace = try WorkspaceContext.open()
            edits.link(.systems, try workspace.domain.systemIDs(fields.systems))
            try workspace.domain.write(edits)
            try output.emit(try workspace.record(id).map(EntityDocument.init)) { Terminal.print(id.rawValue) }
        }
    }

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a finding's fields or requirements.")
        @Argument(help: "The finding's id (or a unique prefix of it).") var finding: String
        @Option(help: "A new title.") var title: String?
        @Option(name: .customLong("requirement"), help: "Link a requirement (repeatable).") var requirements: [String] = []
        @Option(name: .customLong("unlink"), help: "Unlink a requirement (repeatable).") var unlinks: [String] = []
        @OptionGroup var fields: Fields
        @OptionGroup var output: OutputOptions

        func run() throws {
            let links = try RequirementOptions.resolve(requirements), removals = try RequirementOptions.resolve(unlinks)
            let workspace = try WorkspaceContext.open()
            let record = try workspace.domain.liveRecord(finding, kind: .finding)
            var edits = EntityEdits<FindingField>(record.id, current: record)
            try edits.set(.title, title)
            try fields.apply(to: &edits)
            edits.link(.requirements, links)
            edits.unlinkPresent(.requirements, removals)
            edits.linkMissing(.systems, try workspace.domain.systemIDs(fields.systems))
            let asked = title != nil || fields.given || !requirements.isEmpty || !unlinks.isEmpty
            guard asked else { throw CLIError.badInput("Nothing to change; give at least one option such as --status closed.") }
            let wrote = try workspace.domain.write(edits)
            try output.emit(try workspace.record(record.id).map(EntityDocument.init)) {
                Terminal.print(!wrote ? "Finding \(record.id) unchanged: it already holds those values." : "Updated finding \(record.id)")
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record whether a nonconformity's correction proved effective (a closed one found not effective reopens).")
        @Argument(help: "The finding's id (or a unique prefix of it).") var finding: String
        @Option(help: "effective or not-effective.") var result: VerificationResult
        @Option(help: "Who verified it (default: this workspace's assessor).") var by: String?
        @Option(help: "When it was verified (YYYY-MM-DD, default today).") var on: String?
        @Option(name: .customLong("evidence"), parsing: .upToNextOption, help: "Evidence the verification rests on, by id (repeatable).")
        var evidence: [String] = []
        @OptionGroup var output: OutputOptions

        func run() throws {
            let workspace = try WorkspaceContext.open()
            let id = try workspace.domain.live(Finding.self, finding).id
            let wrote = try workspace.domain.verify(id.rawValue, result: result, by: by, on: on, evidence: evidence)
            try output.emit(try workspace.record(id).map(EntityDocument.init)) {
                Terminal.print(!wrote ? "Finding \(id) unchanged: it already holds that verification." : "Verified finding \(id): \(result.rawValue).")
            }
        }
    }

    struct Close: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close a finding; a nonconformity closes once verified effective, or with --override saying why not.")
        @Argument(help: "The finding's id (or a unique prefix of it).") var finding: String
        @Option(help: "Why a nonconformity closes without an effective verification (the register shows it).") var override: String?
        @OptionGroup var output: OutputOptions

        func run() throws {
            let workspace = try WorkspaceContext.open()
            let id = try workspace.domain.live(Finding.self, finding).id
            let wrote = try workspace.domain.close(id.rawValue, override: override)
            try output.emit(try workspace.record(id).map(EntityDocument.init)) {
                Terminal.print(!wrote ? "Finding \(id) is closed already." : "Closed finding \(id).")
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a finding (kept in history).")
        @Argument(help: "The finding's id (or a unique prefix of it).") var finding: String
        func run() throws { try DeleteEntity.run(finding, kind: .finding) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List findings.")
        @Flag(help: "Include deleted findings.") var all = false
        @OptionGroup var output: OutputOptions

        func run() throws {
            let workspace = try WorkspaceContext.open()
            let findings = try workspace.all(Finding.self, includeDeleted: all)
            try output.emit(["findings": findings.map { EntityDocument($0.record) }]) {
                if findings.isEmpty { Terminal.print("No findings recorded.") }
                for finding in findings {
                    Terminal.print("\(finding.id)  \(finding.severity?.rawValue ?? "-")  \(finding.status?.rawValue ?? "")  \(finding.title ?? "")  [\(finding.requirements.joined(separator: ", "))]\(finding.deleted ? "  (deleted)" : "")")
                }
            }
        }
    }
}

extension VerificationResult: ExpressibleByArgument {}

import ArgumentParser
import FieldbookModel
import FieldbookReplica
import FieldbookStore
import Foundation

/// `fieldbook evidence add|list|verify|link|unlink|delete`: evidence files kept by SHA-256.
struct EvidenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evidence", abstract: "Attach evidence files and check them.",
        subcommands: [Add.self, List.self, Verify.self, Link.self, Unlink.self, Delete.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Copy a file into the workspace by SHA-256; prints its id and hash.")
        @Argument(help: "The file.") var file: String
        @Option(name: .customLong("requirement"), help: "A requirement it supports (repeatable; with --fulfils, the request's by default).")
        var requirements: [String] = []
        @Option(help: "What the file shows.") var description: String?
        @Option(name: .customLong("system"), help: "An AI system it concerns, by name or id (repeatable).") var systems: [String] = []
        @Option(name: .customLong("as-of"), help: "The date the file speaks for (YYYY-MM-DD), apart from today, when it is recorded.")
        var asOf: String?
        @Option(help: "The period the file covers, FROM..TO (2026-01-01..2026-03-31).") var period: String?
        @Option(help: "An evidence request it answers (id or unique prefix): linked, and marked received.") var fulfils: String?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if asOf != nil, period != nil { throw ValidationError("Give the date the file speaks for as --as-of or as --period, not both.") }
        }

        func run() throws {
            let links = try RequirementOptions.resolve(requirements)
            var dating = EvidenceDating(asOf: asOf)
            if let period { (dating.periodFrom, dating.periodTo) = try EvidenceDating.period(period) }
            let url = try RegularFile.existing(file, called: "The evidence file", toBe: "attached as evidence",
                                               ifFolder: "attach the files in it one by one.")
            let workspace = try WorkspaceContext.open()
            let (id, stored) = try workspace.domain.attachEvidence(contentsOf: url, description: description, requirements: links,
                                                                   systems: try workspace.domain.systemIDs(systems), dating: dating, fulfils: fulfils)
            try output.emit(try workspace.record(id).map(EntityDocument.init)) { Terminal.print("\(id.rawValue)  sha256:\(stored.sha256)") }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List evidence files.")
        @Flag(help: "Include deleted evidence.") var all = false
        @OptionGroup var output: OutputOptions

        func run() throws {
            let workspace = try WorkspaceContext.open()
            let files = try workspace.all(Evidence.self, includeDeleted: all)
            try output.emit(["evidence": files.map { EntityDocument($0.record) }]) {
                if files.isEmpty { Terminal.print("No evidence attached yet.") }
                for file in files {
                    Terminal.print("\(file.id)  \(file.filename ?? "")  \(file.size ?? 0) bytes\(file.dateLabel.map { "  \($0)" } ?? "")  [\(file.requirements.joined(separator: ", "))]\(file.deleted ? "  (deleted)" : "")")
                }
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Hash every evidence file again; exits 3 when one is damaged or missing.")
        @OptionGroup var output: OutputOptions

        func run() throws {
            let workspace = try WorkspaceContext.open()
            let checks = try workspace.all(Evidence.self).map { file -> VerifyDocument.Check in
                let sha = file.sha256 ?? ""
                return .init(id: file.id.rawValue, filename: file.filename, sha256: sha, condition: workspace.objects.verify(sha).rawValue)
            }
            let document = VerifyDocument(checked: checks.count, intact: checks.filter { $0.condition == "intact" }.count, files: checks)
            try output.emit(document) {
                for check in checks { Terminal.print("\(check.condition.padding(toLength: 8, withPad: " ", startingAt: 0)) \(check.id)  \(check.filename ?? "")") }
                Terminal.print("\(document.intact) of \(counted(document.checked, "evidence file")) intact.")
            }
            if document.intact != document.checked { throw ExitCode(ExitStatus.conflict.rawValue) }
        }
    }

    /// What `link` and `unlink` name: requirements and AI systems.
    struct Targets: ParsableArguments {
        @Option(name: .customLong("requirement"), help: "A requirement (repeatable).") var requirements: [String] = []
        @Option(name: .customLong("system"), help: "An AI system, by name or id (repeatable).") var systems: [String] = []

        func validate() throws {
            if requirements.isEmpty && systems.isEmpty { throw ValidationError("Name at least one --requirement or --system.") }
        }
    }

    struct Link: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Link evidence to more requirements or AI systems.")
        @Argument(help: "The evidence id (or a unique prefix).") var evidence: String
        @OptionGroup var targets: Targets

        func run() throws {
            let links = try RequirementOptions.resolve(targets.requirements)
            let workspace = try WorkspaceContext.open()
            let file = try workspace.domain.live(Evidence.self, evidence)
            var edits = EntityEdits<EvidenceField>(file.id)
            edits.link(.requirements, links)
            edits.link(.systems, try workspace.domain.systemIDs(targets.systems))
            try workspace.domain.write(edits)
            Terminal.print("Linked \(file.id) to \((links + targets.systems).joined(separator: ", ")).")
        }
    }

    struct Unlink: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Unlink evidence from requirements or AI systems.")
        @Argument(help: "The evidence id (or a unique prefix).") var evidence: String
        @OptionGroup var targets: Targets

        func run() throws {
            let removals = try RequirementOptions.resolve(targets.requirements)
            let workspace = try WorkspaceContext.open()
            let file = try workspace.domain.live(Evidence.self, evidence)
            let systemIDs = try workspace.domain.systemIDs(targets.systems)
            let missing = removals.filter { !file.requirements.contains($0) } + systemIDs.filter { !file.systems.contains($0) }
            guard missing.isEmpty else {
                throw CLIError.notFound("Evidence \(file.id) is not linked to \(missing.joined(separator: ", ")).")
            }
            var edits = EntityEdits<EvidenceField>(file.id)
            edits.unlink(.requirements, removals)
            edits.unlink(.systems, systemIDs)
            try workspace.domain.write(edits)
            Terminal.print("Unlinked \(file.id) from \((removals + targets.systems).joined(separator: ", ")).")
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete evidence (the file stays in history and in the object store).")
        @Argument(help: "The evidence id (or a unique prefix).") var evidence: String
        func run() throws { try DeleteEntity.run(evidence, kind: .evidence) }
    }
}

struct VerifyDocument: Encodable {
    struct Check: Encodable {
        let id: String
        let filename: String?
        let sha256: String
        let condition: String
    }
    let checked: Int
    let intact: Int
    let files: [Check]
}

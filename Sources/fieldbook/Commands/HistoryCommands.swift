import ArgumentParser
import FieldbookCatalogs
import FieldbookModel
import FieldbookStore
import Foundation

/// `fieldbook log` and `fieldbook history ID`: the audit trail, every change kept.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "log", abstract: "Every change: when, who, which entity and field, old and new value.")
    @Option(help: "Only this entity (a requirement, risk, evidence or finding id).") var entity: String?
    @Option(help: "Only changes by this assessor.") var assessor: String?
    @Option(help: "Only changes from this date on (YYYY-MM-DD or RFC 3339).") var since: String?
    @Flag(help: "Check every change's signature instead of listing changes; exits 3 when one fails.") var verify = false
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if verify && (entity != nil || assessor != nil || since != nil) {
            throw CLIError.badInput("--verify checks the whole history; leave out --entity, --assessor and --since.")
        }
    }

    func run() throws {
        if verify { return try verifyHistory() }
        let sinceMilliseconds = try since.map(DateArgument.milliseconds)
        let workspace = try WorkspaceContext.open()
        let target = try entity.map { try HistoryTarget.resolve($0, in: workspace) }
        let entries = try workspace.log(entity: target, assessor: assessor, sinceMilliseconds: sinceMilliseconds)
        try ChangeListing.emit(entries, output: output)
    }
}

extension LogCommand {
    struct VerificationDocument: Encodable {
        struct Author: Encodable { let author: String; let verified: Int }
        struct Failure: Encodable { let change: String; let author: String; let entity: String; let reason: String }
        let checked: Int
        let verified: Int
        let authors: [Author]
        let failures: [Failure]
        /// Sites whose keys the engagement's server revoked, and where their valid history ends.
        let revocations: [RevocationSummary]
    }

    /// One line per revocation: whose key, where its valid history ends, and what it withdrew here.
    static func describe(_ revocation: RevocationSummary) -> String {
        let who = (revocation.assessor.map { " (\($0))" } ?? "") + (revocation.ownSite ? ", this workspace's own key," : "")
        let why = revocation.reason.map { ": \($0)" } ?? ""
        let withdrawn = revocation.withdrawn == 0 ? "" : "; \(counted(revocation.withdrawn, "later change")) it signed \(revocation.withdrawn == 1 ? "was" : "were") withdrawn here"
        return "REVOKED site \(revocation.site)\(who) by the engagement's server key on \(revocation.revokedAt)\(why); its changes up to \(revocation.site)/\(revocation.lastValid) stand, later ones are refused\(withdrawn)"
    }

    func verifyHistory() throws {
        let workspace = try WorkspaceContext.open()
        let result = try workspace.verifyHistory()
        let document = VerificationDocument(
            checked: result.checked, verified: result.checked - result.failures.count,
            authors: result.verifiedByAuthor.sorted { $0.key < $1.key }.map { .init(author: $0.key, verified: $0.value) },
            failures: result.failures.map { .init(change: $0.dot.description, author: $0.author, entity: $0.entity.rawValue, reason: $0.reason) },
            revocations: try workspace.revocations())
        try output.emit(document) {
            for author in document.authors { Terminal.print("\(author.author): \(counted(author.verified, "change")), signatures valid") }
            for failure in document.failures { Terminal.print("FAILED \(failure.change) by \(failure.author) (\(failure.entity)): \(failure.reason)") }
            for revocation in document.revocations { Terminal.print(Self.describe(revocation)) }
        }
        guard result.failures.isEmpty else {
            let first = result.failures[0]
            throw CLIError.conflict("\(result.failures.count) of \(counted(result.checked, "change")) \(result.failures.count == 1 ? "fails its" : "fail their") signature check, first \(first.dot) by '\(first.author)'; the workspace was altered outside Fieldbook.")
        }
        if !output.json { Terminal.print("Verified \(counted(result.checked, "change")) by \(counted(document.authors.count, "assessor")): every signature is valid.") }
    }
}

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "Every change of one requirement, risk, evidence file or finding.")
    @Argument(help: "A requirement (its result), or a risk, evidence or finding id.") var id: String
    @OptionGroup var output: OutputOptions

    func run() throws {
        let workspace = try WorkspaceContext.open()
        let target = try HistoryTarget.resolve(id, in: workspace)
        let entries = try workspace.log(entity: target)
        try ChangeListing.emit(entries, output: output)
    }
}

enum ChangeListing {
    static func emit(_ entries: [LogEntry], output: OutputOptions) throws {
        let documents = entries.map(ChangeDocument.init)
        try output.emit(["changes": documents]) {
            if documents.isEmpty { Terminal.print("No changes match.") }
            for change in documents {
                var line = "\(change.at)  \(change.author)  \(change.entity)  \(change.field)"
                switch change.operation {
                case "add": line += " + \(change.value.text)"
                case "remove": line += " - \(change.value.text)"
                default:
                    let previous = change.previous.map(\.text).joined(separator: " | ")
                    line += ": \(previous.isEmpty ? "" : previous + " -> ")\(change.value.text)"
                }
                Terminal.print(line)
            }
        }
    }
}

/// What `history` and `log --entity` accept: a requirement (meaning its result) or an entity.
enum HistoryTarget {
    static func resolve(_ input: String, in workspace: Workspace) throws -> EntityID {
        let library = try Catalogs.library(mappings: false)
        if let requirement = try? library.index.resolve(input) { return EntityID.result(for: requirement.id) }
        // `resolve A.5.2 applicability` means the control's applicability entity.
        if input.lowercased().hasPrefix("applicability:"), let id = EntityID(input) { return id }
        if let id = EntityID(input), try workspace.record(id) != nil { return id }
        return try EntityLookup.any(input, in: workspace).id
    }
}

/// Dates typed on the command line: `YYYY-MM-DD` (midnight UTC) or RFC 3339.
enum DateArgument {
    static func milliseconds(_ text: String) throws -> UInt64 {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return UInt64(max(0, date.timeIntervalSince1970 * 1000)) }
        formatter.formatOptions = [.withFullDate]
        if CalendarDate.isValid(text), let date = formatter.date(from: text) { return UInt64(max(0, date.timeIntervalSince1970 * 1000)) }
        throw CLIError.badInput("'\(text)' is not a date; write YYYY-MM-DD or an RFC 3339 time.")
    }
}

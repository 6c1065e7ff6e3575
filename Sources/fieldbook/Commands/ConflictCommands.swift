import ArgumentParser
import FieldbookCatalogs
import FieldbookModel
import FieldbookReplica
import FieldbookStore

/// `fieldbook conflicts` and `fieldbook resolve`: concurrent edits stay visible until an
/// assessor picks a value, which supersedes every competing one.
struct ConflictsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "conflicts", abstract: "Fields with more than one live value after a merge.")
    @OptionGroup var output: OutputOptions

    func run() throws {
        let workspace = try WorkspaceContext.open()
        let conflicts = try WorkspaceContext.mapped { try workspace.conflicts() }
        try output.emit(["conflicts": conflicts.map(ConflictDocument.init)]) {
            if conflicts.isEmpty { Terminal.print("No conflicts.") }
            for conflict in conflicts {
                Terminal.print("\(conflict.entity)  \(conflict.field)\(conflict.isDeletion ? " (deleted while edited)" : "")")
                for value in conflict.values {
                    let what = value.isTombstone ? "deleted" : value.field == conflict.field ? value.value.description : "\(value.field) = \(value.value)"
                    Terminal.print("    \(what)  by \(value.author) at \(Timestamps.rfc3339(value.hlc))")
                }
            }
            if !conflicts.isEmpty { Terminal.print("Resolve with: fieldbook resolve ENTITY FIELD --value VALUE (or --keep ASSESSOR)") }
        }
    }
}

struct ResolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve", abstract: "Settle a conflict with one value; it supersedes every competing value.")
    @Argument(help: "The entity: a risk, evidence or finding id, or a requirement for its result.") var entity: String
    @Argument(help: "The field in conflict (e.g. status, title, deleted).") var field: String
    @Option(help: "The value to keep.") var value: String?
    @Option(help: "Keep the value this assessor wrote.") var keep: String?
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if (value == nil) == (keep == nil) { throw ValidationError("Give exactly one of --value VALUE or --keep ASSESSOR.") }
    }

    func run() throws {
        let workspace = try WorkspaceContext.open()
        var id = try HistoryTarget.resolve(entity, in: workspace)
        // A control's applicability lives on its own entity, not on its result.
        if field == "applicability" || field == "justification", let control = id.resultRequirement {
            id = EntityID.applicability(for: control)
        }
        guard let record = try WorkspaceContext.mapped({ try workspace.record(id) }) else {
            throw CLIError.notFound("No entity '\(entity)' in this workspace.")
        }
        let shape: FieldShape
        do { shape = try EntitySchema.shape(of: field, in: record.kind) } catch { throw CLIError.badInput(error.message + ".") }
        guard case .register(let constraint) = shape else {
            throw CLIError.badInput("\(field) is a set of links, which never conflicts; use link or unlink.")
        }
        let conflict = try WorkspaceContext.mapped { try workspace.conflicts() }.first { $0.entity == id && $0.field == field }
        let chosen: FieldValue
        if let keep {
            guard let conflict else { throw CLIError.notFound("\(id) has no conflict in \(field); 'fieldbook conflicts' lists them.") }
            let byAssessor = conflict.values.filter { $0.author == keep }
            guard let pick = byAssessor.first else {
                throw CLIError.notFound("No value of \(field) by \(keep) is in conflict; the competing authors are \(Set(conflict.values.map(\.author)).sorted().joined(separator: ", ")).")
            }
            // Keeping an editor's side of a deletion conflict means restoring the entity.
            chosen = field == EntitySchema.deletedField ? .boolean(pick.isTombstone) : pick.value
        } else {
            chosen = try ValueArgument.parse(value!, constraint: constraint)
        }
        var builder = EditBuilder(id, record.kind)
        if field == EntitySchema.deletedField {
            let edit: LocalEdit = chosen == .boolean(true) ? .delete(id, record.kind) : .restore(id, record.kind)
            try WorkspaceContext.mapped { _ = try workspace.write([edit]) }
        } else {
            try builder.set(field, chosen)
            try WorkspaceContext.mapped { _ = try workspace.write(builder.edits) }
        }
        let updated = try WorkspaceContext.mapped { try workspace.record(id) }
        try output.emit(updated.map(EntityDocument.init)) {
            Terminal.print("\(id) \(field) = \(chosen)\(conflict == nil ? "" : " (conflict resolved)")")
        }
    }
}

/// Reads a value typed for a field, by the field's type.
enum ValueArgument {
    static func parse(_ text: String, constraint: FieldConstraint) throws -> FieldValue {
        switch constraint {
        case .integer:
            guard let n = Int64(text) else { throw CLIError.badInput("'\(text)' is not a whole number.") }
            return .integer(n)
        case .boolean:
            switch text.lowercased() {
            case "true", "yes", "1": return .boolean(true)
            case "false", "no", "0": return .boolean(false)
            default: throw CLIError.badInput("'\(text)' is not true or false.")
            }
        case .choice: return .enumCase(text)
        case .date: return .date(text)
        case .text, .sha256: return .text(text)
        }
    }
}

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
        let conflicts = try workspace.conflicts()
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
        let id = try HistoryTarget.resolve(entity, in: workspace)
        let resolution = try workspace.domain.resolve(id, field: field, choice: value.map(ResolutionChoice.value) ?? .keep(assessor: keep!), name: entity)
        try output.emit(resolution.record.map(EntityDocument.init)) {
            Terminal.print("\(resolution.entity) \(field) = \(resolution.value)\(resolution.settledConflict ? " (conflict resolved)" : "")")
        }
    }
}

import ArgumentParser
import FieldbookStore

/// `fieldbook export --json`: the canonical whole-state document.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print the engagement's whole current state as one canonical JSON document (byte-identical on converged replicas).")
    @Flag(help: "Print JSON (the only format of the canonical export).") var json = false

    func run() throws {
        let workspace = try WorkspaceContext.open()
        let document = try WorkspaceContext.mapped { try workspace.export() }
        try Terminal.printJSON(document)
    }
}

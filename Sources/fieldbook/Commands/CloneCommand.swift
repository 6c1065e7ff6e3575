import ArgumentParser
import FieldbookModel
import FieldbookStore
import FieldbookSync
import Foundation

/// `fieldbook clone SOURCE`: a new replica (its own site id) of an engagement, from a
/// bundle file.
struct CloneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clone", abstract: "Start a new replica of an engagement from a bundle file.")

    @Argument(help: "A bundle file.") var source: String
    @Option(help: "Your name, recorded on every change you make.") var assessor: String
    @Option(help: "The engagement id (checked against the bundle).") var engagement: String?
    @Flag(help: "Print one JSON document.") var json = false

    func run() throws {
        let file = URL(fileURLWithPath: source)
        let header = try WorkspaceContext.mapped { try BundleReader.header(of: file) }
        if let engagement, engagement != header.engagement {
            throw CLIError.conflict("The bundle holds engagement \(header.engagement), not \(engagement).")
        }
        let location = WorkspaceContext.targetLocation
        let workspace = try WorkspaceContext.mapped {
            try Workspace.create(at: location, engagement: EntityID(header.engagement)!, assessor: assessor,
                                 engagementName: nil, scope: nil)
        }
        let summary: BundleExchange.ImportSummary
        do {
            summary = try WorkspaceContext.mapped { try BundleExchange(workspace: workspace).importBundle(file) }
        } catch {
            try? FileManager.default.removeItem(at: location.metadataFolder)
            throw error
        }
        if json { try Terminal.printJSON(CloneDocument(workspace: location.root.path, site: workspace.identity.site.text, imported: summary)); return }
        Terminal.print("Cloned engagement '\(header.engagementName ?? header.engagement)' into \(location.root.path) as \(workspace.identity.assessor) (site \(workspace.identity.site.short)).")
        ImportText.print(summary)
    }
}

struct CloneDocument: Encodable {
    let workspace: String
    let site: String
    let imported: BundleExchange.ImportSummary
}

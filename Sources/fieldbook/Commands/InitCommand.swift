import ArgumentParser
import FieldbookModel
import FieldbookStore

/// `fieldbook init`: a new workspace holding a new engagement, with this laptop as its
/// first replica.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Start a new engagement in a new workspace (the current folder or --workspace DIR).")

    @Option(help: "The engagement's name, e.g. the client and the audit.") var engagement: String
    @Option(help: "Your name, recorded on every change you make.") var assessor: String
    @Option(help: "What the engagement covers.") var scope: String?
    @Option(help: "Use this engagement id (to publish it on a server later under the same id).") var id: String?
    @Option(name: .customLong("risk-acceptance-level"),
            help: "low, medium, high or critical: the highest risk level retained without an owner's acceptance (also 'engagement set').")
    var riskAcceptanceLevel: RiskLevel?
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if engagement.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--engagement needs a name.") }
        if let id, EntityID(id) == nil { throw ValidationError("--id must be letters, digits, '-', '_', '.' or ':' (at most 128).") }
    }

    func run() throws {
        let location = WorkspaceContext.targetLocation
        let engagementID = EntityID(id ?? UUIDv7.make())!
        let workspace = try Workspace.create(at: location, engagement: engagementID, assessor: assessor, engagementName: engagement, scope: scope,
                                             riskAcceptanceLevel: riskAcceptanceLevel)
        let document = InitDocument(workspace: location.root.path, engagement: engagementID.rawValue, name: engagement,
                                    assessor: workspace.identity.assessor, site: workspace.identity.site.text)
        try output.emit(document) {
            Terminal.print("Started engagement '\(engagement)' (\(engagementID)) in \(location.root.path)")
            Terminal.print("You are \(workspace.identity.assessor) on site \(workspace.identity.site.short).")
        }
    }
}

struct InitDocument: Encodable {
    let workspace: String
    let engagement: String
    let name: String
    let assessor: String
    let site: String
}

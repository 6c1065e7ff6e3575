import ArgumentParser
import FieldbookModel
import FieldbookStore
import FieldbookSync
import Foundation

/// `fieldbook clone SOURCE`: a new replica (its own site id) of an engagement, from a
/// server (which becomes remote `origin`) or from a bundle file.
struct CloneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clone", abstract: "Start a new replica of an engagement from a server URL or a bundle file.")

    @Argument(help: "A server URL (with --engagement and --token) or a bundle file.") var source: String
    @Option(help: "Your name, recorded on every change you make.") var assessor: String
    @Option(help: "The engagement id (needed with a server; checked against a bundle).") var engagement: String?
    @Option(help: "Your bearer token on the server.") var token: String?
    @Option(name: .customLong("ca-cert"), help: "A private CA's certificate (PEM) to trust for the server; kept with remote origin.")
    var caCert: String?
    @Flag(name: .customLong("insecure-http"), help: "Allow the token over plain http:// to a host that is not this machine.")
    var insecureHTTP = false
    @Flag(help: "Print one JSON document.") var json = false

    func run() async throws {
        if RemoteConfiguration.isValidURL(source) {
            try await cloneFromServer()
            return
        }
        try cloneFromBundle()
    }

    private func cloneFromServer() async throws {
        guard let engagement, let id = EntityID(engagement) else {
            throw CLIError.badInput("Cloning from a server needs --engagement ID (a valid engagement id).")
        }
        guard let token, !token.isEmpty else { throw CLIError.badInput("Cloning from a server needs --token TOKEN.") }
        let location = WorkspaceContext.targetLocation
        if FileManager.default.fileExists(atPath: location.metadataFolder.path) {
            throw StoreError.alreadyInitialized(location.root.path)
        }
        try TransportSecurity.check(URL(string: source)!, sendsToken: true, allowInsecureHTTP: insecureHTTP)
        let origin = RemoteConfiguration.Remote(url: source, token: token, lastSync: nil, caCertificates: try SyncRun.caCertificates(caCert),
                                                insecureHTTP: insecureHTTP)
        // Ask the server first, so a wrong token or engagement leaves no workspace behind.
        let transport = try origin.transport()
        let staging = try Workspace.create(at: location, engagement: id, assessor: assessor, engagementName: nil, scope: nil)
        do {
            _ = try await SyncClient(workspace: staging, transport: transport).engagementInfo()
            var remotes = RemoteConfiguration()
            remotes.remotes["origin"] = origin
            try remotes.save(to: staging)
            let summary = try await SyncRun.sync(staging, remote: remotes.remotes["origin"]!, name: "origin", quiet: json)
            remotes.remotes["origin"]?.lastSync = Timestamps.rfc3339(milliseconds: WallClock.now())
            try remotes.save(to: staging)
            if json {
                try Terminal.printJSON(NetworkCloneDocument(workspace: location.root.path, site: staging.identity.site.text, synced: summary))
                return
            }
            Terminal.print("Cloned engagement \(engagement) from \(source) into \(location.root.path) as \(staging.identity.assessor); "
                + "\(counted(summary.pulled, "change")) and \(counted(summary.evidenceDownloaded, "evidence file"))"
                + (summary.librariesDownloaded > 0 ? ", \(counted(summary.librariesDownloaded, "library", "libraries"))" : "")
                + ". Remote 'origin' is set.")
        } catch {
            try? FileManager.default.removeItem(at: location.metadataFolder)
            throw error
        }
    }

    private func cloneFromBundle() throws {
        try RegularFile.require(source, toBe: "a bundle")
        let file = URL(fileURLWithPath: source)
        let identity = IdentityFile.standard()
        let header = try BundleReader.header(of: file, identity: identity)
        if let engagement, engagement != header.engagement {
            throw CLIError.conflict("The bundle holds engagement \(header.engagement), not \(engagement).")
        }
        let location = WorkspaceContext.targetLocation
        let workspace = try Workspace.create(at: location, engagement: EntityID(header.engagement)!, assessor: assessor, engagementName: nil, scope: nil)
        let summary: BundleExchange.ImportSummary
        do {
            summary = try BundleExchange(workspace: workspace, identity: identity).importBundle(file)
        } catch {
            try? FileManager.default.removeItem(at: location.metadataFolder)
            throw error
        }
        if json { try Terminal.printJSON(CloneDocument(workspace: location.root.path, site: workspace.identity.site.text, imported: summary)); return }
        Terminal.print("Cloned engagement '\(header.engagementName ?? header.engagement)' into \(location.root.path) as \(workspace.identity.assessor) (site \(workspace.identity.site.short)).")
        ImportText.print(summary)
    }
}

struct NetworkCloneDocument: Encodable {
    let workspace: String
    let site: String
    let synced: SyncClient.Summary
}

struct CloneDocument: Encodable {
    let workspace: String
    let site: String
    let imported: BundleExchange.ImportSummary
}

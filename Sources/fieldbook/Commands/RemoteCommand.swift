import ArgumentParser
import FieldbookStore
import FieldbookSync
import Foundation

/// `fieldbook remote add|list|remove`: the servers this workspace syncs with.
struct RemoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remote", abstract: "Manage the servers this workspace syncs with.", subcommands: [Add.self, List.self, Remove.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a server (the token is kept in .fieldbook/remotes.json, mode 0600).")
        @Argument(help: "A short name, e.g. origin.") var name: String
        @Argument(help: "The server's URL, e.g. http://127.0.0.1:8080.") var url: String
        @Option(help: "Your bearer token for this engagement on that server.") var token: String
        @Option(name: .customLong("ca-cert"), help: "A private CA's certificate (PEM) to trust for this server; kept with the remote.")
        var caCert: String?
        @Flag(name: .customLong("insecure-http"), help: "Allow the token over plain http:// to a host that is not this machine.")
        var insecureHTTP = false

        func validate() throws {
            if !RemoteConfiguration.isValidName(name) { throw ValidationError("A remote's name is letters, digits, '-', '_' or '.'.") }
            if !RemoteConfiguration.isValidURL(url) { throw ValidationError("'\(url)' is not an http or https URL with a host.") }
            if token.isEmpty { throw ValidationError("--token needs the token the server's administrator gave you.") }
        }

        func run() throws {
            let workspace = try WorkspaceContext.open()
            var remotes = try RemoteConfiguration.load(from: workspace)
            if remotes.remotes[name] != nil { throw CLIError.conflict("A remote '\(name)' exists already; remove it first or pick another name.") }
            try TransportSecurity.check(URL(string: url)!, sendsToken: true, allowInsecureHTTP: insecureHTTP)
            remotes.remotes[name] = .init(url: url, token: token, lastSync: nil, caCertificates: try SyncRun.caCertificates(caCert),
                                          insecureHTTP: insecureHTTP)
            try remotes.save(to: workspace)
            Terminal.print("Added remote \(name) -> \(url)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List remotes (never their tokens).")
        @OptionGroup var output: OutputOptions

        func run() throws {
            let workspace = try WorkspaceContext.open()
            let remotes = try RemoteConfiguration.load(from: workspace)
            let documents = remotes.remotes.keys.sorted().map { name in
                RemoteDocument(name: name, url: remotes.remotes[name]!.url, lastSync: remotes.remotes[name]!.lastSync)
            }
            try output.emit(["remotes": documents]) {
                if documents.isEmpty { Terminal.print("No remotes; 'fieldbook remote add NAME URL --token TOKEN' adds one.") }
                for remote in documents { Terminal.print("\(remote.name)  \(remote.url)  last sync \(remote.lastSync ?? "never")") }
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Forget a remote and its token.")
        @Argument(help: "The remote's name.") var name: String

        func run() throws {
            let workspace = try WorkspaceContext.open()
            var remotes = try RemoteConfiguration.load(from: workspace)
            guard remotes.remotes.removeValue(forKey: name) != nil else {
                throw SyncError.unknownRemote(name, known: remotes.remotes.keys.sorted())
            }
            try remotes.save(to: workspace)
            Terminal.print("Removed remote \(name).")
        }
    }
}

struct RemoteDocument: Encodable {
    let name: String
    let url: String
    let lastSync: String?

    enum CodingKeys: String, CodingKey {
        case name, url
        case lastSync = "last_sync"
    }
}

import ArgumentParser
import FieldbookSync
import Foundation

/// `fieldbook identity`: this user's recipient string for sealed bundles, made on first use.
struct IdentityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identity",
        abstract: "Print your recipient string: colleagues seal bundles for you with it (bundle export --recipient).",
        discussion: """
        The identity (a secret key) lives in $XDG_CONFIG_HOME/fieldbook/identity, else \
        ~/.config/fieldbook/identity, or the file FIELDBOOK_IDENTITY names; it is made the first \
        time it is needed. Keep it private and back it up: a bundle sealed for you opens only with it.
        """)

    @Flag(help: "Print one JSON document.") var json = false

    /// The `identity --json` document.
    struct Document: Encodable {
        let recipient: String
        let file: String
        let created: Bool
    }

    func run() throws {
        let file = IdentityFile.standard()
        let existed = try file.load() != nil
        let identity = try file.loadOrCreate()
        if json {
            try Terminal.printJSON(Document(recipient: identity.recipient.description, file: file.url.path, created: !existed))
            return
        }
        // The string alone on stdout, so `$(fieldbook identity)` is the recipient.
        Terminal.print(identity.recipient.description)
        if !existed {
            FileHandle.standardError.write(Data("Made a new identity in \(file.url.path): keep it private and back it up.\n".utf8))
        }
    }
}

import ArgumentParser
import FieldbookStore

/// `fieldbook rekey`: continue this workspace on a new site and signing key (`Workspace.rekey`).
struct RekeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rekey",
        abstract: "Continue this workspace on a new signing key (a new laptop, or after losing one).",
        discussion: """
        A new key names a new site. Your changes that no server took and no bundle carried are \
        written again under it, so none of your work is lost; changes that left stay as signed. \
        The old key is deleted and never signs again. Then ask the server's administrator to bind \
        the new key to you ('fieldbook-server token create --assessor NAME --engagement ID \
        --public-key KEY', the key this command prints) and, after a loss, to revoke the old site.
        """)

    @OptionGroup var output: OutputOptions

    func run() throws {
        let summary = try WorkspaceContext.open().rekey()
        try output.emit(summary) {
            Terminal.print("This workspace now signs as site \(summary.site.prefix(8)) (was \(summary.formerSite.prefix(8))); "
                           + "\(summary.reauthored) unsynced change\(summary.reauthored == 1 ? " was" : "s were") written again under the new key, "
                           + "\(summary.handedOut) that had left stay as signed.")
            Terminal.print("New public key: \(summary.publicKey)")
            Terminal.print("Give it to the server's administrator: fieldbook-server token create --assessor NAME --engagement ID --public-key KEY")
        }
    }
}

import ArgumentParser
import FieldbookModel
import FieldbookPackage
import Foundation

/// `fieldbook package verify`: checks an audit package (written by `export package`) without
/// any workspace.
struct PackageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "package", abstract: "Check an audit package written by 'fieldbook export package'.",
        subcommands: [Verify.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: """
                Check every file's SHA-256 against the signed manifest, nothing missing or added, and that the signing key is \
                the one the package's own signed history binds to the signer; exits 3 naming the first file that differs.
                """)
        @Argument(help: "The package (.zip).") var file: String
        @Flag(help: "Print one JSON document.") var json = false

        func run() throws {
            let result = try AuditPackage.verify(URL(fileURLWithPath: file), shownAs: file)
            if json {
                try Terminal.printJSON(result)
            } else if result.ok, let signer = result.signer, let engagement = result.engagement {
                Terminal.print("Verified \(file): \(counted(result.files, "file")) match the manifest, signed by \(signer.assessor) "
                    + "(key \(signer.publicKey), bound by the package's signed history) for '\(engagement.name)', version \(result.version ?? "?").")
                Terminal.print("Compare that key with the one the assessor's 'fieldbook status' shows: the package cannot prove who holds it.")
            }
            if let difference = result.firstDifference { throw CLIError.conflict(difference.message) }
        }
    }
}

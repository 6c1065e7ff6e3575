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
                that of a site of the package's own signed history writing as the signer (saying so when several sites write \
                under that name); exits 3 naming the first file that differs.
                """)
        @Argument(help: "The package (.zip).") var file: String
        @Flag(help: "Print one JSON document.") var json = false

        func run() throws {
            let result = try AuditPackage.verify(URL(fileURLWithPath: file), shownAs: file)
            if json {
                try Terminal.printJSON(result)
            } else if result.ok, let signer = result.signer, let engagement = result.engagement {
                // Names and versions come from the package: printed with control and bidi characters replaced.
                let safe = PrintableText.safe
                let name = safe(signer.assessor), site = safe(signer.site), key = safe(signer.publicKey)
                let others = result.otherSitesWithSignerName ?? []
                let matched = "Verified \(file): \(counted(result.files, "file")) match the manifest"
                let what = "for '\(safe(engagement.name))', version \(safe(result.version ?? "?"))"
                if others.isEmpty {
                    Terminal.print("\(matched), signed by \(name) (site \(site), key \(key), the one site writing as '\(name)' "
                        + "in the package's signed history) \(what).")
                    Terminal.print("Compare that key with the one the assessor's 'fieldbook status' shows: the package cannot prove who holds it.")
                } else {
                    let listed = others.map { "site \(safe($0.site)) as '\(safe($0.assessor))', key \(safe($0.publicKey))" }.joined(separator: "; ")
                    Terminal.print("\(matched), \(what).")
                    Terminal.print("\(others.count + 1) sites write as '\(name)' in the package's signed history; this package was signed by "
                        + "site \(site), key \(key): compare the key with the assessor's 'fieldbook status' "
                        + "(\(others.count == 1 ? "the other" : "the others"): \(listed)).")
                }
            }
            if let difference = result.firstDifference { throw CLIError.conflict(PrintableText.safe(difference.message)) }
        }
    }
}

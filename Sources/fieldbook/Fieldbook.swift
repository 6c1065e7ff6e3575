import ArgumentParser

/// The root command: `fieldbook --help` lists every command group.
struct Fieldbook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldbook",
        abstract: "Assess AI governance offline against NIST AI RMF 1.0 and ISO/IEC 42001:2023.",
        discussion: """
        Fieldbook records results, risks, evidence and findings in a local workspace, merges \
        several assessors' work without losing an edit, and maps one framework's results onto \
        the other through the NIST-hosted crosswalk.
        """,
        version: "0.1.0",
        subcommands: [
            CatalogCommand.self,
            CrosswalkCommand.self,
        ]
    )
}

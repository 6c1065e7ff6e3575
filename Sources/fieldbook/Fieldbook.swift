import ArgumentParser
import FieldbookModel

/// The root command: `fieldbook --help` lists every command group.
struct Fieldbook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldbook",
        abstract: "Assess AI governance offline against NIST AI RMF 1.0 and ISO/IEC 42001:2023.",
        discussion: """
        Fieldbook records results, risks, evidence and findings in a local workspace, merges \
        several assessors' work without losing an edit, and maps one framework's results onto \
        the other through the NIST-hosted crosswalk.

        Global option: --workspace DIR (anywhere on the line; also FIELDBOOK_WORKSPACE). \
        Default: the nearest folder upward holding .fieldbook/, else the current folder.
        Exit codes: 0 ok, 1 bad input, 2 not found, 3 conflict with the workspace or server \
        state, 4 storage, network or server unavailable, 5 authentication refused.
        """,
        version: FieldbookRelease.version,
        subcommands: [
            InitCommand.self,
            CloneCommand.self,
            StatusCommand.self,
            EngagementCommand.self,
            AssessCommand.self,
            ShowCommand.self,
            RiskCommand.self,
            EvidenceCommand.self,
            FindingCommand.self,
            RequestCommand.self,
            InterviewCommand.self,
            TestCommand.self,
            SystemCommand.self,
            ImpactCommand.self,
            ApplicabilityCommand.self,
            LogCommand.self,
            HistoryCommand.self,
            ConflictsCommand.self,
            ResolveCommand.self,
            BundleCommand.self,
            IdentityCommand.self,
            RekeyCommand.self,
            RemoteCommand.self,
            SyncCommand.self,
            ReportCommand.self,
            ExportCommand.self,
            PackageCommand.self,
            CatalogCommand.self,
            CrosswalkCommand.self,
            UICommand.self,
        ]
    )
}

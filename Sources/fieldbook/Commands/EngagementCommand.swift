import ArgumentParser
import FieldbookModel
import FieldbookStore

/// `fieldbook engagement set`: the engagement's name, scope and risk acceptance level, edited
/// after `init` like any other entity (the same write door, rules and history).
struct EngagementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engagement", abstract: "Change the engagement's name, scope, risk acceptance level or evidence age limit.", subcommands: [Set.self])

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set the engagement's name, scope, risk acceptance level or evidence age limit.",
            discussion: """
                A risk whose residual level (its inherent level while no residual is rated) is above the \
                acceptance level needs an acceptance: 'fieldbook risk update RISK --accepted-by NAME'. \
                Evidence speaking for a date (--as-of, the end of --period, else the day it was recorded) \
                older than --stale-after counts as stale in the reports' key figures.
                """)
        @Option(help: "The engagement's name, e.g. the client and the audit.") var name: String?
        @Option(help: "What the engagement covers.") var scope: String?
        @Option(name: .customLong("risk-acceptance-level"), help: "low, medium, high or critical: the highest level retained without an acceptance.")
        var riskAcceptanceLevel: RiskLevel?
        @Option(name: .customLong("stale-after"), help: "How old evidence may be before it counts as stale: a count and d, w, m or y (12m, 90d).")
        var staleAfter: String?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if name == nil, scope == nil, riskAcceptanceLevel == nil, staleAfter == nil {
                throw ValidationError("Nothing to change; give --name, --scope, --risk-acceptance-level or --stale-after.")
            }
        }

        func run() throws {
            let workspace = try WorkspaceContext.open()
            let entity = workspace.identity.engagement
            var edits = EntityEdits<EngagementField>(entity, current: try workspace.record(entity))
            try edits.set(.name, name)
            try edits.set(.scope, scope)
            try edits.set(.riskAcceptanceLevel, riskAcceptanceLevel)
            try edits.set(.staleAfter, staleAfter)
            let wrote = try workspace.domain.write(edits)
            try output.emit(try workspace.record(entity).map(EntityDocument.init)) {
                Terminal.print(wrote ? "Updated the engagement." : "The engagement is unchanged: it already holds those values.")
            }
        }
    }
}

extension RiskLevel: ExpressibleByArgument {}

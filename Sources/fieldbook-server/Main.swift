import ArgumentParser
import FieldbookModel
import Foundation

/// `fieldbook-server`: the central endpoint and its administration. Exit codes as the CLI:
/// 1 bad input, 2 not found, 3 conflict, 4 storage unavailable.
@main
enum Main {
    static func main() async {
        do {
            var command = try FieldbookServerCommand.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as AdminError {
            FileHandle.standardError.write(Data("Error: \(failure.message)\n".utf8))
            exit(failure.status)
        } catch {
            FieldbookServerCommand.exit(withError: error)
        }
    }
}

struct FieldbookServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldbook-server",
        abstract: "The central Fieldbook endpoint: assessors sync their workspaces through it.",
        version: FieldbookRelease.version,
        subcommands: [ServeCommand.self, EngagementCommand.self, TokenCommand.self, KeyCommand.self, BackupCommand.self, RestoreCommand.self])
}

/// A refusal of an admin command: one sentence and an exit status.
struct AdminError: Error {
    let status: Int32
    let message: String
}

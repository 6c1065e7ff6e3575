import ArgumentParser
import Foundation

/// Runs the command line and maps every failure to the documented exit codes of
/// `../shared/CLI.md`: 1 bad input, 2 not found, 3 conflict, 4 unavailable, 5 refused.
@main
enum Main {
    static func main() async {
        do {
            var command = try Fieldbook.parseAsRoot(WorkspaceContext.extractGlobalOption(Array(CommandLine.arguments.dropFirst())))
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exitReporting(error)
        }
    }

    static func exitReporting(_ error: any Error) -> Never {
        if let failure = error as? CLIError {
            Terminal.error(failure.message)
            exit(failure.status.rawValue)
        }
        if let code = error as? ExitCode {
            exit(code.rawValue)
        }
        let code = Fieldbook.exitCode(for: error)
        if code == .success {
            // --help, --version and completion scripts.
            print(Fieldbook.fullMessage(for: error))
            exit(0)
        }
        Terminal.error(Fieldbook.fullMessage(for: error))
        exit(ExitStatus.badInput.rawValue)
    }
}

import ArgumentParser
import Foundation

/// Runs the command line and maps every failure to the documented exit codes of
/// `../shared/CLI.md`: 1 bad input, 2 not found, 3 conflict, 4 unavailable, 5 refused.
@main
enum Main {
    static func main() async {
        do {
            try RawArguments.requireUTF8()
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

    /// The subcommand words typed (before the first option or argument that is not one).
    static func commandPath() -> String {
        var path: [String] = []
        var command: any ParsableCommand.Type = Fieldbook.self
        var words = CommandLine.arguments.dropFirst().makeIterator()
        while let word = words.next() {
            if word == "--workspace" { _ = words.next(); continue }
            if word.hasPrefix("-") { continue }
            guard let next = command.configuration.subcommands.first(where: { $0._commandName == word }) else { break }
            path.append(word)
            command = next
        }
        return (["fieldbook"] + path).joined(separator: " ")
    }

    static func exitReporting(_ error: any Error) -> Never {
        if let status = ExitStatus(for: error) {
            Terminal.error(sentence(for: error))
            exit(status.rawValue)
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
        if let sentence = ArgumentSuggestion.sentence(for: WorkspaceContext.extractGlobalOption(Array(CommandLine.arguments.dropFirst()))) {
            Terminal.error(sentence)
            exit(ExitStatus.badInput.rawValue)
        }
        // One sentence, not argument-parser's Help/Usage block: what was wrong, where to look.
        let lines = Fieldbook.message(for: error).split(separator: "\n")
        var first = lines.first.map(String.init) ?? "The command line is not valid"
        // A choice of six values or more is listed as bullets under the message: kept, on the one line.
        let listed = lines.dropFirst().prefix { $0.hasPrefix("  - ") }.map { $0.dropFirst(4) }
        if first.hasSuffix(" the following:"), !listed.isEmpty {
            first = String(first.dropLast(" the following:".count)) + " " + listed.joined(separator: ", ")
        }
        let sentence = first.trimmingCharacters(in: CharacterSet(charactersIn: " .")).prefix(300)
        Terminal.error("\(sentence); see '\(Self.commandPath()) --help'.")
        exit(ExitStatus.badInput.rawValue)
    }
}

import ArgumentParser
import FieldbookModel

/// A closer look at a command line argument-parser refused: a command or an option that does
/// not exist is named, with the nearest real one (`exprot` -> `export`, `--reslt` -> `--result`),
/// instead of whatever argument-parser noticed first (a missing `--result`, say).
enum ArgumentSuggestion {
    static func sentence(for arguments: [String]) -> String? {
        var command: any ParsableCommand.Type = Fieldbook.self
        var path = ["fieldbook"]
        var rest = arguments[...]
        // The command words, as far as they name subcommands.
        while let word = rest.first {
            if word == "--workspace" { rest = rest.dropFirst(2); continue }
            if word.hasPrefix("-") { break }
            let names = command.configuration.subcommands.map { $0._commandName }
            if names.isEmpty { break }
            guard let position = names.firstIndex(of: word) else {
                return unknown("command", word, nearest: EditDistance.nearest(to: word, among: names), path: path)
            }
            command = command.configuration.subcommands[position]
            path.append(word)
            rest = rest.dropFirst()
        }
        let known = knownOptions(of: command)
        for argument in rest {
            if argument == "--" { break }
            guard argument.hasPrefix("--"), argument.count > 2 else { continue }
            let name = String(argument.prefix(while: { $0 != "=" }))
            if known.contains(name) { continue }
            return unknown("option", name, nearest: EditDistance.nearest(to: name, among: known.sorted()), path: path)
        }
        return nil
    }

    private static func unknown(_ what: String, _ typed: String, nearest: String?, path: [String]) -> String {
        let command = path.joined(separator: " ")
        let hint = nearest.map { " (did you mean '\($0)'?)" } ?? ""
        return "Unknown \(what) '\(String(typed.prefix(60)))' for '\(command)'\(hint); see '\(command) --help'."
    }

    /// The long options a command's help lists, and the global ones every command takes.
    private static func knownOptions(of command: any ParsableCommand.Type) -> Set<String> {
        var known: Set<String> = ["--help", "--workspace", "--version", "--generate-completion-script"]
        let help = command.helpMessage(columns: 10_000)
        var word = ""
        for character in help + " " {
            if character.isLetter || character.isNumber || character == "-" {
                word.append(character)
            } else {
                if word.hasPrefix("--"), word.count > 2 { known.insert(word) }
                word = ""
            }
        }
        return known
    }
}

import Foundation

/// The command line as the operating system passed it. Swift's `CommandLine.arguments`
/// repairs invalid UTF-8 to U+FFFD, so a title typed in another encoding would be stored
/// altered, and a file named in Latin-1 would be looked for under a name that does not exist.
/// Such arguments are refused before any command runs.
enum RawArguments {
    static func requireUTF8() throws {
        // A program may be started with no arguments at all, not even its name.
        guard CommandLine.argc > 1 else { return }
        for index in 1..<Int(CommandLine.argc) {
            guard let raw = CommandLine.unsafeArgv[index], String(validatingCString: raw) == nil else { continue }
            let shown = String(decoding: UnsafeRawBufferPointer(start: raw, count: strlen(raw)).prefix(60), as: UTF8.self)
            throw CLIError.badInput("Argument \(index) ('\(shown)') is not valid UTF-8; retype it, or rename the file, in UTF-8.")
        }
    }
}

import ArgumentParser

/// The `--json` flag every read command takes.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print one JSON document on stdout and nothing else.") var json = false

    /// Prints `document` as JSON, or runs `text` to print for people.
    func emit<T: Encodable>(_ document: T, text: () throws -> Void) throws {
        if json { try Terminal.printJSON(document) } else { try text() }
    }
}

/// A failure to report as one sentence on stderr with its documented exit status.
struct CLIError: Error {
    let status: ExitStatus
    let message: String

    static func badInput(_ message: String) -> CLIError { CLIError(status: .badInput, message: message) }
    static func notFound(_ message: String) -> CLIError { CLIError(status: .notFound, message: message) }
    static func conflict(_ message: String) -> CLIError { CLIError(status: .conflict, message: message) }
}

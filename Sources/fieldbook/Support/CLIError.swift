/// The exit statuses of the command-line contract.
enum ExitStatus: Int32 {
    case ok = 0
    case badInput = 1
    case notFound = 2
    case conflict = 3
    case unavailable = 4
    case refused = 5
}

/// A failure to report as one sentence on stderr with its documented exit status.
struct CLIError: Error {
    let status: ExitStatus
    let message: String

    static func badInput(_ message: String) -> CLIError { CLIError(status: .badInput, message: message) }
    static func notFound(_ message: String) -> CLIError { CLIError(status: .notFound, message: message) }
    static func conflict(_ message: String) -> CLIError { CLIError(status: .conflict, message: message) }
}

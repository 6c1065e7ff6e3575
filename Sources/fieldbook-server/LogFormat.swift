import ArgumentParser
import FieldbookServer
import Foundation
import Logging

/// `serve --log-format`: JSON lines for a log collector, or swift-log's text for a person at a
/// terminal. Both go to standard error; standard output keeps the lines scripts read (the
/// listening addresses).
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case json
    case text

    /// Text at a terminal, JSON anywhere else (a service manager, a container, a file).
    static var standard: LogFormat { isatty(STDERR_FILENO) == 1 ? .text : .json }

    /// Makes this the format of every logger of the process; `LOG_LEVEL` sets the level (default info).
    func bootstrap() {
        let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .info
        LoggingSystem.bootstrap { label in
            switch self {
            case .json:
                var handler = JSONLogHandler(label: label)
                handler.logLevel = level
                return handler
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}

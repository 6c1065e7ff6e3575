import FieldbookModel
import Foundation
import Logging

/// Log lines for machines: one JSON object per line on standard error, `timestamp` (RFC 3339,
/// UTC, milliseconds), `level`, `message`, `logger`, then the metadata as fields of their own
/// (`request_id`, `method`, `route`, `status`, `duration_ms`, `engagement`, `assessor`, ...).
/// Whole numbers and fractions stay numbers; everything else is text.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    private let label: String

    /// Hummingbird keeps the request's id under its own key; operators search for `request_id`.
    static let renamed = [RequestLogMiddleware.metadataKey: "request_id"]
    /// The line's own fields, which metadata may not replace.
    static let reserved: Set<String> = ["timestamp", "level", "message", "logger"]

    private static let lock = NSLock()

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = Self.line(event, label: label, metadata: metadata.merging(event.metadata ?? [:]) { $1 }, now: Date())
        line.append(UInt8(ascii: "\n"))
        // One write a line, under a lock: lines from concurrent requests never interleave.
        Self.lock.withLock { FileHandle.standardError.write(Data(line)) }
    }

    /// The line without its newline.
    static func line(_ event: LogEvent, label: String, metadata: Logger.Metadata, now: Date) -> [UInt8] {
        var fields: [(String, JSONText)] = [
            ("timestamp", .string(Timestamps.rfc3339(milliseconds: UInt64(max(0, now.timeIntervalSince1970) * 1000)))),
            ("level", .string(event.level.rawValue)),
            ("message", .string(event.message.description)),
            ("logger", .string(label)),
        ]
        if let error = event.error { fields.append(("error", .string("\(error)"))) }
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            let name = renamed[key] ?? key
            guard !reserved.contains(name), !fields.contains(where: { $0.0 == name }) else { continue }
            fields.append((name, JSONText(value)))
        }
        return JSONText.object(fields).bytes
    }
}

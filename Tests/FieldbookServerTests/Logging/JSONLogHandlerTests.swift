@testable import FieldbookServer
import Foundation
import Logging
import Testing

struct JSONLogHandlerTests {
    func object(_ metadata: Logger.Metadata, message: String = "request") throws -> [String: Any] {
        let event = LogEvent(level: .notice, message: "\(message)", metadata: nil, source: "test", file: #fileID, function: #function, line: #line)
        let line = JSONLogHandler.line(event, label: "fieldbook-server", metadata: metadata, now: Date(timeIntervalSince1970: 1_765_000_000.25))
        #expect(!line.contains(UInt8(ascii: "\n")))
        return try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
    }

    @Test("one object a line: fixed fields, metadata as fields, numbers as numbers, Hummingbird's id as request_id")
    func fields() throws {
        let line = try object(["hb.request.id": "3f2a", "status": .stringConvertible(422), "duration_ms": .stringConvertible(1.5),
                               "engagement": "acme", "sites": .array(["a", "b"])])
        #expect(line["timestamp"] as? String == "2025-12-06T05:46:40.250Z")
        #expect(line["level"] as? String == "notice" && line["message"] as? String == "request" && line["logger"] as? String == "fieldbook-server")
        #expect(line["request_id"] as? String == "3f2a" && line["hb.request.id"] == nil)
        #expect(line["status"] as? Int == 422 && line["duration_ms"] as? Double == 1.5)
        #expect(line["engagement"] as? String == "acme" && line["sites"] as? [String] == ["a", "b"])
    }

    @Test("a value cannot end the line or replace the line's own fields")
    func hostileValues() throws {
        let hostile = "x\"}\n{\"level\":\"error\u{0}\u{7f}\\"
        let line = try object(["path": .string(hostile), "level": "forged", "message": "forged"], message: hostile)
        #expect(line["path"] as? String == hostile && line["message"] as? String == hostile)
        #expect(line["level"] as? String == "notice")
    }
}

@testable import FieldbookSync
import FieldbookWire
import Foundation
import Testing

/// The request id a server puts in its error body, carried into the client's one sentence.
struct RequestIDTests {
    @Test("an error body with or without request_id decodes; the id is written only when there is one")
    func wire() throws {
        let old = try JSONDecoder().decode(ErrorResponse.self, from: Data(#"{"error":{"code":"token_unknown","message":"No."}}"#.utf8))
        #expect(old.error.requestID == nil && old.error.wireCode == .tokenUnknown)
        let new = try JSONDecoder().decode(ErrorResponse.self, from: Data(#"{"error":{"code":"token_unknown","message":"No.","request_id":"3f2a"}}"#.utf8))
        #expect(new.error.requestID == "3f2a")
        #expect(String(decoding: try JSONEncoder().encode(ErrorResponse(.tokenUnknown, "No.")), as: UTF8.self).contains("request_id") == false)
    }

    @Test("notes go in brackets before the sentence's full stop, so it stays one sentence")
    func notes() {
        #expect(HTTPTransport.noting("The token is not known to this server.", ["request id 3f2a"])
            == "The token is not known to this server (request id 3f2a).")
        #expect(HTTPTransport.noting("split the batch.", ["HTTP 413", "request id 3f2a"]) == "split the batch (HTTP 413, request id 3f2a).")
        #expect(HTTPTransport.noting("bad gateway", ["HTTP 502", nil]) == "bad gateway (HTTP 502)")
        #expect(HTTPTransport.noting("The token expired.", [nil]) == "The token expired.")
    }
}

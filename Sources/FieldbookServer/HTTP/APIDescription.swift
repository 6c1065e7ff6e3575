import Foundation
import Hummingbird
import NIOCore

/// The OpenAPI 3.1 document of every route (`Resources/openapi.json`), served as committed at
/// `GET /v1/openapi.json` with no token, so operators' tools (Schemathesis, gateways, client
/// generators) read what this release answers. `OpenAPIDocumentTests` keeps it true to the
/// router and the wire types; `Tests/API/schemathesis_run.py` to the live server.
enum APIDescription {
    static let route: RouterPath = "v1/openapi.json"

    /// The document's bytes, read once per process.
    static func document() throws -> Data {
        guard let loaded else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey:
                "the API description (openapi.json) is missing from this installation's Fieldbook_FieldbookServer.resources"])
        }
        return loaded
    }

    private static let loaded: Data? = Bundle.module.url(forResource: "openapi", withExtension: "json").flatMap { try? Data(contentsOf: $0) }

    /// The answer to `GET /v1/openapi.json`: the bytes as committed.
    static func response(_ document: Data) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(data: document)))
    }
}

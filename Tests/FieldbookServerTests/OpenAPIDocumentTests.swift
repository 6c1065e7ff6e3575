@testable import FieldbookServer
import FieldbookWire
import Foundation
import Testing

/// The OpenAPI document (`Sources/FieldbookServer/Resources/openapi.json`) against the code it
/// describes: the routes the router registers, the wire's error codes, roles and media types.
/// What the live server answers is checked against it by Schemathesis (`Tests/API`).
@Suite
struct OpenAPIDocumentTests {
    static let methods = ["get", "head", "post", "put", "patch", "delete", "options", "trace"]

    static func document() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: APIDescription.document()) as? [String: Any])
    }

    /// Each operation as "METHOD /path", with its path item's parameters and its own object.
    static func operations(_ document: [String: Any]) -> [(route: String, path: String, method: String, operation: [String: Any])] {
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        return paths.flatMap { path, item in
            methods.compactMap { method in
                (item[method] as? [String: Any]).map { (route: "\(method.uppercased()) \(path)", path: path, method: method, operation: $0) }
            }
        }
    }

    /// A `$ref` inside the document ("#/components/...") followed to its target.
    static func resolve(_ value: Any?, in document: [String: Any]) -> [String: Any]? {
        guard let object = value as? [String: Any] else { return nil }
        guard let reference = object["$ref"] as? String else { return object }
        guard reference.hasPrefix("#/") else { return nil }
        var target: Any? = document
        for key in reference.dropFirst(2).split(separator: "/") { target = (target as? [String: Any])?[String(key)] }
        return resolve(target, in: document)
    }

    @Test("the document describes exactly the routes the server registers")
    func routesMatchTheRouter() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fb-openapi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let storage = try SQLiteServerStorage(path: folder.appendingPathComponent("server.sqlite").path)
        let router = try FieldbookServerApplication.router(storage: storage, blobs: FolderBlobStore(folder: folder.appendingPathComponent("objects")),
                                                            configuration: .init())
        let registered = Set(router.routes.map { "\($0.method.rawValue) \($0.path)" })
        let documented = Set(Self.operations(try Self.document()).map(\.route))
        #expect(registered.count >= 11, "the router lists \(registered.sorted())")
        #expect(registered.subtracting(documented).isEmpty, "registered, not in openapi.json: \(registered.subtracting(documented).sorted())")
        #expect(documented.subtracting(registered).isEmpty, "in openapi.json, not registered: \(documented.subtracting(registered).sorted())")
    }

    @Test("the error schema lists every wire error code, and the role schema every token role")
    func enumsMatchTheWireTypes() throws {
        let document = try Self.document()
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let codes = try #require((schemas["ErrorCode"] as? [String: Any])?["enum"] as? [String])
        #expect(Set(codes) == Set(WireErrorCode.allCases.map(\.rawValue)))
        #expect(codes.count == Set(codes).count, "a code is listed twice")
        let roles = try #require((schemas["TokenRole"] as? [String: Any])?["enum"] as? [String])
        #expect(Set(roles) == Set(TokenRole.allCases.map(\.rawValue)))
        let error = Self.resolve(schemas["Error"], in: document)
        let detail = Self.resolve((error?["properties"] as? [String: Any])?["error"], in: document)
        #expect(((detail?["properties"] as? [String: Any])?["code"] as? [String: Any])?["$ref"] as? String == "#/components/schemas/ErrorCode")
    }

    @Test("routes under /v1/engagements need a bearer token and list every refusal; the others are open")
    func securityAndRefusals() throws {
        let document = try Self.document()
        let schemes = (document["components"] as? [String: Any])?["securitySchemes"] as? [String: Any]
        let bearer = try #require(schemes?["bearerAuth"] as? [String: Any])
        #expect(bearer["type"] as? String == "http" && bearer["scheme"] as? String == "bearer")
        let fallback = document["security"] as? [[String: [String]]]
        for (route, path, method, operation) in Self.operations(document) {
            let security = (operation["security"] as? [[String: [String]]]) ?? fallback ?? []
            let responses = operation["responses"] as? [String: Any] ?? [:]
            guard path.hasPrefix("/v1/engagements/") else {
                #expect(security.isEmpty, "\(route) is open and must say so (security: [])")
                continue
            }
            #expect(security == [["bearerAuth": []]], "\(route) needs the bearer token")
            // What the auth middleware and the error middleware can answer on every such route.
            var expected: Set<String> = ["400", "401", "403", "404", "429", "500", "503"]
            // Routes that read a body refuse one over the limits.
            if method == "post" || method == "put" { expected.insert("413") }
            #expect(expected.isSubset(of: Set(responses.keys)), "\(route) lists \(responses.keys.sorted()), lacks \(expected.subtracting(responses.keys).sorted())")
            #expect(responses["default"] == nil, "\(route): a default answer would hide undocumented statuses")
            // Answers to HEAD have no body; every other error answer is the wire's error object.
            guard method != "head" else { continue }
            for (status, response) in responses where status.hasPrefix("4") || status.hasPrefix("5") {
                let content = Self.resolve(response, in: document)?["content"] as? [String: Any]
                let schema = (content?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
                #expect(content?.count == 1 && schema?["$ref"] as? String == "#/components/schemas/Error",
                        "\(route) \(status) is not documented as the wire's JSON error")
            }
        }
    }

    @Test("binary bodies carry the wire's media types")
    func mediaTypes() throws {
        let document = try Self.document()
        let operations = Dictionary(uniqueKeysWithValues: Self.operations(document).map { ($0.route, $0.operation) })
        func content(_ route: String, _ keys: String...) -> [String: Any]? {
            var value: Any? = operations[route]
            for key in keys { value = Self.resolve(value, in: document)?[key] }
            return value as? [String: Any]
        }
        #expect(content("POST /v1/engagements/{engagement}/changes", "requestBody", "content")?[Wire.changesMediaType] != nil)
        #expect(content("POST /v1/engagements/{engagement}/pull", "responses", "200", "content")?.keys.sorted() == [Wire.pullMediaType])
        #expect(content("GET /v1/engagements/{engagement}/blobs/{sha256}", "responses", "200", "content")?.keys.sorted() == ["application/octet-stream"])
        #expect(content("PUT /v1/engagements/{engagement}/blobs/{sha256}", "requestBody", "content")?.keys.sorted() == ["application/octet-stream"])
    }

    @Test("every $ref in the document points at something")
    func referencesResolve() throws {
        let document = try Self.document()
        var broken: [String] = []
        func walk(_ value: Any) {
            if let object = value as? [String: Any] {
                if let reference = object["$ref"] as? String, Self.resolve(object, in: document) == nil { broken.append(reference) }
                object.values.forEach(walk)
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        walk(document)
        #expect(broken.isEmpty, "unresolved: \(broken)")
    }

    @Test("GET /v1/openapi.json answers the committed document as JSON, without a token", arguments: ServerBackend.underTest)
    func served(backend: ServerBackend) throws {
        let server = try ServerProcess(backend)
        defer { withExtendedLifetime(server) {} }
        let committed = try APIDescription.document()
        let answer = try RawHTTP.send(port: server.port, method: "GET", target: Array("/v1/openapi.json".utf8))
        #expect(answer.status == 200)
        #expect(answer.header("Content-Type") == "application/json")
        #expect(answer.body == committed)
        #expect(try Self.document()["openapi"] as? String == "3.1.0")
    }
}

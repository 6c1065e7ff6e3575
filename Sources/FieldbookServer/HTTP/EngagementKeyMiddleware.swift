import FieldbookWire
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization

/// States the engagement's key (`Fieldbook-Engagement-Key`) on every successful answer to an
/// engagement's routes, for the token holder only (it runs inside `AuthMiddleware`): a
/// workspace pins it at its first sync or clone and then accepts revocations signed by it
/// alone. Keys never change, so each is read once per process.
struct EngagementKeyMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    static let header = HTTPField.Name(Wire.engagementKeyHeader)!

    let storage: any ServerStorage
    private let known = KnownKeys()

    init(storage: any ServerStorage) {
        self.storage = storage
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard let engagement = context.parameters.get("engagement") else { return response }
        let key: Data
        if let cached = known.keys.withLock({ $0[engagement] }) {
            key = cached
        } else {
            key = try await storage.engagementKey(engagement)
            known.keys.withLock { $0[engagement] = key }
        }
        response.headers[Self.header] = key.base64EncodedString()
        return response
    }

    private final class KnownKeys: Sendable {
        let keys = Mutex<[String: Data]>([:])
    }
}

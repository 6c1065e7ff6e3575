import FieldbookWire
import Hummingbird

/// `/readyz`, for a load balancer or an orchestrator: ready only when one round trip to the
/// database succeeds within two seconds and the object store can take objects (the folder is
/// there and writable, or the database that holds them answers). No token:
/// it says nothing an outsider could use beyond "up" or "down" and why.
enum Readiness {
    static let timeout: Duration = .seconds(2)

    static func check(storage: any ServerStorage, blobs: any BlobStore) async throws -> EditedResponse<ReadinessResponse> {
        let database = await databaseStatus(storage)
        let objects: String
        do { try await blobs.check(); objects = "ok" } catch { objects = "\(error)" }
        let ready = database == "ok" && objects == "ok"
        return EditedResponse(status: ready ? .ok : .serviceUnavailable,
                              response: ReadinessResponse(status: ready ? "ready" : "unavailable", database: database, objects: objects))
    }

    /// "ok", or why not: the error, or that the database did not answer in time.
    static func databaseStatus(_ storage: any ServerStorage) async -> String {
        await withTaskGroup(of: String?.self) { group in
            group.addTask {
                do { try await storage.ping(); return "ok" } catch { return "the database does not answer (\(error))" }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return Task.isCancelled ? nil : "the database did not answer within \(timeout)"
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? "the database did not answer"
        }
    }
}

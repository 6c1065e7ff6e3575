import FieldbookWire
import Foundation
import Synchronization

/// Slows down guessing: a client whose requests carried `limit` bad tokens (missing, unknown,
/// revoked, expired) within `window` has its bad tokens answered 429 for a while. A valid token
/// from a blocked address still passes: behind NAT or a load balancer many people share one
/// address, and one of them guessing must not lock the others out. Kept in memory, per process: a restart forgets, and N processes behind a load
/// balancer each count on their own (docs/deploy.md, "Bad tokens").
///
/// Who "a client" is: the connection's address. A loopback peer is the server's own host: with
/// an `X-Forwarded-For` header it is a reverse proxy there, and the address it last appended
/// is the client; without one it is a local process, never limited.
public final class AuthFailureLimiter: Sendable {
    /// Failures that block, and the sliding window (milliseconds) they are counted in.
    public let limit: Int
    public let window: UInt64
    /// Addresses remembered at most; past this, those with no recent failure are forgotten first.
    static let maximumClients = 10_000
    private let failures = Mutex<[String: [UInt64]]>([:])

    public init(limit: Int = 10, windowSeconds: Int = 60) {
        self.limit = max(1, limit)
        window = UInt64(max(1, windowSeconds)) * 1000
    }

    /// Seconds until `client` may try again, or nil when it is not blocked.
    public func retryAfter(_ client: String, now: UInt64) -> Int? {
        failures.withLock { clients in
            guard let times = clients[client], times.count >= limit, let oldest = times.first, oldest + window > now else { return nil }
            return Int((oldest + window - now + 999) / 1000)
        }
    }

    /// How many addresses are remembered now (bounded by `maximumClients`).
    var rememberedClients: Int { failures.withLock { $0.count } }

    /// Counts one bad token from `client`.
    public func recordFailure(_ client: String, now: UInt64) {
        failures.withLock { clients in
            var times = (clients[client] ?? []).filter { $0 + window > now }
            times.append(now)
            clients[client] = Array(times.suffix(limit))
            // A hard cap: past it, those without a recent failure go, then the longest quiet,
            // so many addresses (an IPv6 range) cannot grow memory or the time spent here.
            if clients.count > Self.maximumClients {
                clients = clients.filter { $0.value.last.map { $0 + window > now } ?? false }
                if clients.count > Self.maximumClients {
                    let quietest = clients.sorted { ($0.value.last ?? 0) < ($1.value.last ?? 0) }.prefix(clients.count - Self.maximumClients / 2)
                    for (address, _) in quietest { clients[address] = nil }
                }
            }
        }
    }

    /// The client a request counts against, or nil for a local process (see the type's comment).
    /// `peer` is the connection's IP address; `forwardedFor` the `X-Forwarded-For` header.
    public static func client(peer: String?, forwardedFor: String?) -> String? {
        guard let peer else { return nil }
        guard Loopback.contains(peer) else { return peer }
        let last = forwardedFor?.split(separator: ",").last?.trimmingCharacters(in: .whitespaces)
        return last.flatMap { $0.isEmpty ? nil : String($0.prefix(64)) }
    }
}

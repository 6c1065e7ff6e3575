@testable import FieldbookServer
import Testing

/// The bad-token limiter on its own, with a clock the test moves.
struct AuthFailureLimiterTests {
    @Test("the limit-th failure within the window blocks until the oldest leaves it; failures spread out never block")
    func slidingWindow() {
        let limiter = AuthFailureLimiter(limit: 3, windowSeconds: 60)
        limiter.recordFailure("203.0.113.7", now: 0)
        limiter.recordFailure("203.0.113.7", now: 10_000)
        #expect(limiter.retryAfter("203.0.113.7", now: 10_000) == nil)
        limiter.recordFailure("203.0.113.7", now: 20_000)
        #expect(limiter.retryAfter("203.0.113.7", now: 20_000) == 40)
        #expect(limiter.retryAfter("203.0.113.7", now: 59_001) == 1)
        #expect(limiter.retryAfter("203.0.113.7", now: 60_000) == nil)
        #expect(limiter.retryAfter("203.0.113.8", now: 20_000) == nil)
        // One failure each 30 s: never three within a minute.
        let patient = AuthFailureLimiter(limit: 3, windowSeconds: 60)
        for step in 0..<20 {
            patient.recordFailure("198.51.100.1", now: UInt64(step) * 30_000)
            #expect(patient.retryAfter("198.51.100.1", now: UInt64(step) * 30_000) == nil)
        }
    }

    @Test("many addresses failing at once (an IPv6 range) are remembered up to the cap, and the newest still block")
    func boundedMemory() {
        let limiter = AuthFailureLimiter(limit: 2, windowSeconds: 60)
        for index in 0..<(AuthFailureLimiter.maximumClients * 2 + 500) {
            limiter.recordFailure("2001:db8::\(String(index, radix: 16))", now: UInt64(index))
        }
        #expect(limiter.rememberedClients <= AuthFailureLimiter.maximumClients)
        let last = "2001:db8::ffff:1"
        limiter.recordFailure(last, now: 30_000)
        limiter.recordFailure(last, now: 30_001)
        #expect(limiter.retryAfter(last, now: 30_002) != nil)
    }

    @Test("a client is the peer's address; on loopback, the address a local proxy forwarded, else none")
    func clientKey() {
        #expect(AuthFailureLimiter.client(peer: "203.0.113.7", forwardedFor: "10.0.0.1") == "203.0.113.7")
        #expect(AuthFailureLimiter.client(peer: "2001:db8::1", forwardedFor: nil) == "2001:db8::1")
        #expect(AuthFailureLimiter.client(peer: "127.0.0.1", forwardedFor: nil) == nil)
        #expect(AuthFailureLimiter.client(peer: "::1", forwardedFor: "") == nil)
        #expect(AuthFailureLimiter.client(peer: "127.0.0.1", forwardedFor: "10.9.9.9, 203.0.113.7") == "203.0.113.7")
        #expect(AuthFailureLimiter.client(peer: "::ffff:127.0.0.1", forwardedFor: " 198.51.100.4 ") == "198.51.100.4")
        #expect(AuthFailureLimiter.client(peer: nil, forwardedFor: "198.51.100.4") == nil)
    }
}

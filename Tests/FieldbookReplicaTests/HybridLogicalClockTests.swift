import Foundation
import Testing
@testable import FieldbookReplica

struct HybridLogicalClockTests {
    let site = SiteID(UUID(uuidString: "00000000-0000-0000-0000-0000000000aa")!)

    @Test("local writes advance strictly, with the counter inside one millisecond")
    func tickAdvances() {
        var clock = HybridLogicalClock()
        let a = clock.tick(now: 1_000)
        let b = clock.tick(now: 1_000)
        let c = clock.tick(now: 999)  // the wall clock stepped back
        let d = clock.tick(now: 1_005)
        #expect(a < b && b < c && c < d)
        #expect(b.wallMilliseconds == 1_000 && b.logical == 1)
        #expect(c.wallMilliseconds == 1_000 && c.logical == 2)
        #expect(d.wallMilliseconds == 1_005 && d.logical == 0)
    }

    @Test("a counter overflow inside one millisecond borrows the next millisecond")
    func overflow() {
        var clock = HybridLogicalClock(last: HLCTimestamp(wall: 5_000, logical: HLCTimestamp.maxLogical - 1))
        let a = clock.tick(now: 5_000)
        let b = clock.tick(now: 5_000)
        let c = clock.tick(now: 5_000)
        #expect(a.logical == HLCTimestamp.maxLogical)
        #expect(b.wallMilliseconds == 5_001 && b.logical == 0)
        #expect(c > b)
        var receiving = HybridLogicalClock(last: HLCTimestamp(wall: 7_000, logical: 3))
        try? receiving.receive(HLCTimestamp(wall: 7_000, logical: HLCTimestamp.maxLogical), from: site, now: 7_000)
        #expect(receiving.last == HLCTimestamp(wall: 7_001, logical: 0))
    }

    @Test("receiving moves the clock past the remote timestamp")
    func receive() throws {
        var clock = HybridLogicalClock()
        _ = clock.tick(now: 1_000)
        try clock.receive(HLCTimestamp(wall: 2_000, logical: 4), from: site, now: 1_001)
        #expect(clock.last == HLCTimestamp(wall: 2_000, logical: 5))
        #expect(clock.tick(now: 1_002) > HLCTimestamp(wall: 2_000, logical: 4))
    }

    @Test("a remote timestamp beyond the skew bound is refused naming the site and the skew")
    func skew() {
        var clock = HybridLogicalClock(maximumSkewMilliseconds: 60_000)
        let before = clock
        do {
            try clock.receive(HLCTimestamp(wall: 1_000 + 90_000, logical: 0), from: site, now: 1_000)
            Issue.record("accepted a change 90 s ahead")
        } catch {
            #expect(error.site == site)
            #expect(error.skewMilliseconds == 90_000)
            #expect(error.description.contains(site.short))
            #expect(error.description.contains("1 min 30 s"))
        }
        #expect(clock == before)
        #expect(throws: Never.self) { try clock.receive(HLCTimestamp(wall: 61_000, logical: 0), from: site, now: 1_000) }
    }

    @Test("the default bound is one hour")
    func defaultBound() {
        let clock = HybridLogicalClock()
        #expect(throws: ClockSkewError.self) { try clock.check(HLCTimestamp(wall: 3_600_001 + 10, logical: 0), from: site, now: 10) }
        #expect(throws: Never.self) { try clock.check(HLCTimestamp(wall: 3_600_000 + 10, logical: 0), from: site, now: 10) }
    }
}

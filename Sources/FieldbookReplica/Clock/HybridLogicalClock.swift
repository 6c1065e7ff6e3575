/// A hybrid logical clock timestamp: 48 bits of wall-clock milliseconds since 1970 and a
/// 16-bit logical counter, packed so that integer order is causal-then-wall order.
public struct HLCTimestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Wall milliseconds in the high 48 bits, the logical counter in the low 16.
    public let rawValue: UInt64

    /// The largest wall time 48 bits hold (year 10889).
    public static let maxWall: UInt64 = (1 << 48) - 1
    /// The largest logical counter; the clock borrows the next millisecond beyond it.
    public static let maxLogical: UInt64 = 0xFFFF
    public static let zero = HLCTimestamp(rawValue: 0)

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public init(wall: UInt64, logical: UInt64) {
        rawValue = (min(wall, Self.maxWall) << 16) | (logical & Self.maxLogical)
    }

    public var wallMilliseconds: UInt64 { rawValue >> 16 }
    public var logical: UInt64 { rawValue & Self.maxLogical }

    public static func < (lhs: HLCTimestamp, rhs: HLCTimestamp) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "\(wallMilliseconds).\(logical)" }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(UInt64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// The clock of one replica. Pure: the caller passes the wall time it read, so the merge
/// core never reads a clock itself and tests can drive time.
public struct HybridLogicalClock: Sendable, Equatable {
    /// The latest timestamp issued or received: every new one is above it.
    public private(set) var last: HLCTimestamp
    /// How far ahead of our wall clock a remote timestamp may be (default 1 hour).
    public var maximumSkewMilliseconds: UInt64

    /// One hour, in milliseconds.
    public static let defaultMaximumSkew: UInt64 = 3_600_000

    public init(last: HLCTimestamp = .zero, maximumSkewMilliseconds: UInt64 = defaultMaximumSkew) {
        self.last = last
        self.maximumSkewMilliseconds = maximumSkewMilliseconds
    }

    /// The timestamp for a local write at wall time `now`.
    public mutating func tick(now: UInt64) -> HLCTimestamp {
        let wall = max(min(now, HLCTimestamp.maxWall), last.wallMilliseconds)
        last = Self.advance(wall: wall, logicalAtLeast: wall == last.wallMilliseconds ? last.logical + 1 : 0)
        return last
    }

    /// Checks a remote timestamp without changing the clock.
    public func check(_ remote: HLCTimestamp, from site: SiteID, now: UInt64) throws(ClockSkewError) {
        if remote.wallMilliseconds > now, remote.wallMilliseconds - now > maximumSkewMilliseconds {
            throw ClockSkewError(site: site, skewMilliseconds: remote.wallMilliseconds - now,
                                 boundMilliseconds: maximumSkewMilliseconds)
        }
    }

    /// Moves the clock past a remote timestamp received at wall time `now`.
    public mutating func receive(_ remote: HLCTimestamp, from site: SiteID, now: UInt64) throws(ClockSkewError) {
        try check(remote, from: site, now: now)
        let nowWall = min(now, HLCTimestamp.maxWall)
        let wall = max(nowWall, last.wallMilliseconds, remote.wallMilliseconds)
        var logical: UInt64 = 0
        if wall == last.wallMilliseconds { logical = max(logical, last.logical + 1) }
        if wall == remote.wallMilliseconds { logical = max(logical, remote.logical + 1) }
        last = Self.advance(wall: wall, logicalAtLeast: logical)
    }

    /// A timestamp at `wall` with the given counter; when the counter would overflow its
    /// 16 bits, the clock borrows the next millisecond instead of wrapping or crashing.
    private static func advance(wall: UInt64, logicalAtLeast logical: UInt64) -> HLCTimestamp {
        if logical > HLCTimestamp.maxLogical {
            return HLCTimestamp(wall: min(wall + 1, HLCTimestamp.maxWall), logical: 0)
        }
        return HLCTimestamp(wall: wall, logical: logical)
    }
}

/// A remote change stamped too far in the future: its sender keeps it and may resend once
/// its clock is corrected.
public struct ClockSkewError: Error, Sendable, Equatable, CustomStringConvertible {
    public let site: SiteID
    /// How far ahead of the receiver's wall clock the change was stamped.
    public let skewMilliseconds: UInt64
    /// The skew the receiver allows.
    public let boundMilliseconds: UInt64

    public var description: String {
        // Said from the receiver's side, and it cannot tell which clock is wrong: a sender's
        // clock ahead and a receiver's clock behind look the same.
        "Changes from site \(site.short) are stamped \(Self.duration(skewMilliseconds)) ahead of the receiving clock (more than the \(Self.duration(boundMilliseconds)) allowed): the sender's clock is ahead or the receiver's is behind; correct the wrong one, then send again."
    }

    /// `2 h 5 min`, `3 min 20 s`, `42 s`: a duration in milliseconds for people.
    public static func duration(_ ms: UInt64) -> String {
        let seconds = ms / 1000
        if seconds >= 3600 { return "\(seconds / 3600) h \((seconds % 3600) / 60) min" }
        if seconds >= 60 { return "\(seconds / 60) min \(seconds % 60) s" }
        return "\(seconds) s"
    }
}

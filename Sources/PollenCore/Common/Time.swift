import Foundation
import Synchronization

/// Where use cases read the current time; injected so tests are deterministic.
public protocol TimeSource: Sendable {
    func now() -> Date
}

/// The wall clock, in UTC.
public struct SystemTimeSource: TimeSource {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that tests set and advance by hand.
public final class ManualTimeSource: TimeSource {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}

/// Makes identifiers for new rows; injected so tests are deterministic.
public protocol IDGenerator: Sendable {
    func next() -> Int64
}

/// Time-ordered 64-bit identifiers: milliseconds since 2020 in the high bits, a per-millisecond sequence in
/// the low 16 bits, so ids sort by creation time as Mastodon clients expect of `max_id`/`since_id` paging.
public final class SnowflakeIDGenerator: IDGenerator {
    /// The epoch of the timestamp part; keeps ids far below `Int64.max` for centuries.
    private static let epochMilliseconds: Int64 = 1_577_836_800_000
    private let time: any TimeSource
    private let state = Mutex<(millisecond: Int64, sequence: Int64)>((0, 0))

    public init(time: any TimeSource = SystemTimeSource()) {
        self.time = time
    }

    /// The smallest identifier of the millisecond of `date`; for rows dated in the past (the demo organization)
    /// that must sort by time among themselves.
    public static func firstID(at date: Date) -> Int64 {
        (Int64(date.timeIntervalSince1970 * 1000) - epochMilliseconds) << 16
    }

    /// How far apart the identifiers of two moments `seconds` apart are; lets storage bound a scan by time
    /// through the identifier alone.
    public static func idSpan(seconds: TimeInterval) -> Int64 {
        Int64(seconds * 1000) << 16
    }

    public func next() -> Int64 {
        let now = Int64(time.now().timeIntervalSince1970 * 1000) - Self.epochMilliseconds
        return state.withLock { state in
            // A clock that steps back or a burst of over 65,536 ids in one millisecond borrows the next
            // millisecond, so ids never repeat and never go backwards.
            if now > state.millisecond {
                state = (now, 0)
            } else if state.sequence < 0xFFFF {
                state.sequence += 1
            } else {
                state = (state.millisecond + 1, 0)
            }
            return (state.millisecond << 16) | state.sequence
        }
    }
}

import LatchkeyThreads

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Remembers, in this process, when each grant's "last used" time was last written, so
/// that a busy API does not read or write the grant on every call.
///
/// Only a hint is lost when processes disagree or restart: the time on the account page
/// may lag by up to `interval` per process.
public final class RecentGrantUse: Sendable {
    private struct Key: Hashable {
        var userID: Int64
        var clientRowID: Int64
    }

    /// At most this many grants are remembered; past it the memory starts over, so a
    /// flood of distinct users cannot grow it without bound.
    static let capacity = 50_000

    private let interval: TimeInterval
    private let lastTouched = Locked<[Key: Date]>([:])

    public init(interval: TimeInterval = 60) {
        self.interval = interval
    }

    /// Whether the grant should be touched now; if so, records that it is.
    func shouldTouch(userID: Int64, clientRowID: Int64, at now: Date) -> Bool {
        let key = Key(userID: userID, clientRowID: clientRowID)
        return lastTouched.withLock { times in
            if let last = times[key], now.timeIntervalSince(last) < interval { return false }
            if times.count >= Self.capacity { times.removeAll(keepingCapacity: true) }
            times[key] = now
            return true
        }
    }
}

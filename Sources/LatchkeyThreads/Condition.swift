#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A lock with a condition variable, as `NSCondition` is: `wait()` releases the lock while
/// it sleeps and holds it again when it returns. Wake-ups may be spurious, so callers wait
/// in a loop on the state the condition stands for.
///
/// The condition variable lives on the heap, for the address stability pthreads requires
/// (see ``Lock``).
public final class Condition: Lock, @unchecked Sendable {
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    public override init() {
        super.init()
        #if canImport(Glibc)
            // Timed waits measure on the monotonic clock, which a change of the system
            // time does not move.
            var attributes = pthread_condattr_t()
            pthread_condattr_init(&attributes)
            defer { pthread_condattr_destroy(&attributes) }
            pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
            let status = pthread_cond_init(condition, &attributes)
        #else
            let status = pthread_cond_init(condition, nil)
        #endif
        precondition(status == 0, "pthread_cond_init failed: \(status)")
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deallocate()
    }

    /// Sleeps until signalled; the caller holds the lock.
    public func wait() {
        let status = pthread_cond_wait(condition, mutex)
        precondition(status == 0, "pthread_cond_wait failed: \(status)")
    }

    /// Sleeps until signalled or until `deadline`; the caller holds the lock. False when
    /// the deadline passed first.
    public func wait(until deadline: ContinuousClock.Instant) -> Bool {
        let remaining = ContinuousClock.now.duration(to: deadline)
        guard remaining > .zero else { return false }
        let (seconds, attoseconds) = remaining.components
        var time = timespec()
        #if canImport(Glibc)
            clock_gettime(CLOCK_MONOTONIC, &time)
            let nanoseconds = Int(time.tv_nsec) + Int(attoseconds / 1_000_000_000)
            time.tv_sec += Int(seconds) + nanoseconds / 1_000_000_000
            time.tv_nsec = nanoseconds % 1_000_000_000
            let status = pthread_cond_timedwait(condition, mutex, &time)
        #else
            time.tv_sec = Int(seconds)
            time.tv_nsec = Int(attoseconds / 1_000_000_000)
            let status = pthread_cond_timedwait_relative_np(condition, mutex, &time)
        #endif
        precondition(
            status == 0 || status == ETIMEDOUT, "pthread_cond_timedwait failed: \(status)")
        return status == 0
    }

    /// Wakes one waiting thread.
    public func signal() {
        pthread_cond_signal(condition)
    }

    /// Wakes every waiting thread.
    public func broadcast() {
        pthread_cond_broadcast(condition)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// Why this module exists: the server modules import FoundationEssentials rather than
// Foundation, so that the binary does not link swift-corelibs-foundation, CoreFoundation
// and the ICU data, most of its size and of its idle resident memory (see
// docs/performance.md). NSLock, NSCondition and Thread live in that part of Foundation;
// this module has the little of them the server uses, over the same pthread primitives.
//
// Not Synchronization's `Mutex`: ThreadSanitizer on Linux does not see its futex as a
// lock and reports every use from two threads as a race, and it needs macOS 15.

/// A mutual exclusion lock over a `pthread_mutex_t`, as `NSLock` is.
///
/// The mutex lives on the heap, so its address stays the same for as long as the lock
/// lives, which pthreads requires and a stored property of a Swift class does not promise.
/// Open to ``Condition`` only, which adds a condition variable on the same mutex.
public class Lock: @unchecked Sendable {
    let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    public init() {
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed: \(status)")
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    public func lock() {
        let status = pthread_mutex_lock(mutex)
        precondition(status == 0, "pthread_mutex_lock failed: \(status)")
    }

    public func unlock() {
        let status = pthread_mutex_unlock(mutex)
        precondition(status == 0, "pthread_mutex_unlock failed: \(status)")
    }

    /// Runs `body` while holding the lock.
    public func withLock<Result, Failure: Error>(
        _ body: () throws(Failure) -> Result
    ) throws(Failure) -> Result {
        lock()
        defer { unlock() }
        return try body()
    }
}

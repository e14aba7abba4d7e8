import Foundation

/// Values that concurrent test tasks append to.
///
/// NSLock rather than Mutex: ThreadSanitizer on Linux does not see the Synchronization
/// Mutex's futex and reports its contents as raced.
final class Collected<Element: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Element] = []

    func append(_ element: Element) {
        lock.withLock { storage.append(element) }
    }

    var all: [Element] { lock.withLock { storage } }
}

import Foundation

/// Runs `body(index)` on `count` real threads at once and waits for all of them.
///
/// Real threads rather than tasks: storage calls block, and Dispatch's concurrentPerform
/// would run only as many at once as there are cores.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    let start = DispatchSemaphore(value: 0)
    for index in 0..<count {
        group.enter()
        let thread = Thread {
            start.wait()
            body(index)
            group.leave()
        }
        thread.start()
    }
    // Release them together, so that they really contend.
    for _ in 0..<count { start.signal() }
    group.wait()
}

/// A value many threads append to.
final class Collected<Element: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Element] = []

    func append(_ element: Element) {
        lock.lock()
        storage.append(element)
        lock.unlock()
    }

    var all: [Element] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}

/// Lets at most `width` tasks through at once; the others wait in arrival order.
///
/// Swift Testing runs every test concurrently, so without it dozens of servers would
/// start at the same moment on a two-core machine and each would take longer than its
/// start timeout to get going.
actor AsyncGate {
    private let width: Int
    private var inside = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(width: Int) {
        self.width = max(1, width)
    }

    /// Waits for a place; pair every call with one `leave()`.
    func enter() async {
        guard inside >= width else {
            inside += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Gives the place to the longest waiter, or frees it.
    func leave() {
        guard waiting.isEmpty else {
            waiting.removeFirst().resume()
            return
        }
        inside -= 1
    }
}

import LatchkeyThreads

/// Threads for handler work that waits on something other than the CPU: a commit's
/// fsync, a password-hashing slot, a database round trip.
///
/// libmicrohttpd's workers each run an event loop for many connections; a handler that
/// sleeps on one of them stalls every connection of that loop. Such work runs here
/// instead while its connection is suspended, so a few workers keep serving the requests
/// that only need the CPU, and many writes can wait for the same commit at once: group
/// commit puts every write waiting meanwhile into one transaction and one fsync.
///
/// Threads start on demand, up to `maximumThreads`, and then stay for the next burst:
/// an idle server holds none, and a busy one does not pay to create a thread per task.
final class BlockingPool: @unchecked Sendable {
    typealias Work = @Sendable () -> Void

    let maximumThreads: Int

    private let condition = Condition()
    private var queue: [Work] = []
    private var threads = 0
    /// Threads waiting for work that have not woken yet; a task beyond them needs
    /// another thread.
    private var idleThreads = 0
    /// Tasks submitted and not yet finished.
    private var outstanding = 0
    private var isStopping = false

    init(maximumThreads: Int) {
        precondition(maximumThreads > 0, "a blocking pool needs at least one thread")
        self.maximumThreads = maximumThreads
    }

    func submit(_ work: @escaping Work) {
        condition.lock()
        defer { condition.unlock() }
        precondition(!isStopping, "work submitted to a stopped pool")
        queue.append(work)
        outstanding += 1
        if queue.count > idleThreads && threads < maximumThreads {
            threads += 1
            startThread()
        } else {
            condition.signal()
        }
    }

    /// Returns once every submitted task has finished.
    func waitUntilIdle() {
        condition.lock()
        while outstanding > 0 { condition.wait() }
        condition.unlock()
    }

    /// Lets the queued work finish, then ends every thread. Nothing may be submitted after.
    func stop() {
        condition.lock()
        isStopping = true
        condition.broadcast()
        while threads > 0 { condition.wait() }
        condition.unlock()
    }

    private func startThread() {
        DetachedThread.start(name: "blocking-pool") { [self] in runTasks() }
    }

    private func runTasks() {
        condition.lock()
        while true {
            while queue.isEmpty && !isStopping {
                idleThreads += 1
                condition.wait()
                idleThreads -= 1
            }
            guard !queue.isEmpty else { break }

            let work = queue.removeFirst()
            condition.unlock()
            work()
            condition.lock()
            outstanding -= 1
            if outstanding == 0 { condition.broadcast() }
        }
        threads -= 1
        condition.broadcast()
        condition.unlock()
    }
}

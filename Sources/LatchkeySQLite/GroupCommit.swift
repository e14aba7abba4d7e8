import Dispatch
import LatchkeyStorage
import LatchkeyThreads

/// One write, waiting for whichever thread leads the next batch to run it.
///
/// Either its caller waits for it, sleeping on `wakeUp` until the write is done or it is
/// asked to lead the next batch, or nobody waits and the outcome goes to `ticket`. The
/// lock in ``GroupCommit`` orders the leader's writes to ``error`` and ``isDone`` before
/// the caller reads them.
final class PendingWrite: @unchecked Sendable {
    /// Dropped, under the lock, before the write is marked done: a waiting caller passed
    /// it through `withoutActuallyEscaping`, which traps if it is still referenced when
    /// the caller returns.
    var body: ((SQLiteConnection) throws(StorageError) -> Void)?
    var error: StorageError?
    var isDone = false
    /// Set when the previous leader hands the next batch to this write's caller.
    var leads = false
    /// For a write with a waiting caller; nil when the write has a ticket instead.
    let wakeUp: DispatchSemaphore?
    let ticket: CommitTicket?

    /// A write whose caller waits for it.
    init(_ body: @escaping (SQLiteConnection) throws(StorageError) -> Void) {
        self.body = body
        wakeUp = DispatchSemaphore(value: 0)
        ticket = nil
    }

    /// A write nobody waits for: `ticket` learns its outcome.
    init(
        _ body: @escaping (SQLiteConnection) throws(StorageError) -> Void,
        ticket: CommitTicket
    ) {
        self.body = body
        wakeUp = nil
        self.ticket = ticket
    }

    var hasWaitingCaller: Bool { ticket == nil }
}

/// Group commit: writes that arrive while a commit is on its way to disk are queued, and
/// the next leader commits them all in one transaction, with one fsync.
///
/// With `synchronous = FULL` every commit waits for the disk; without batching, writers
/// queue behind each other's fsyncs and throughput is one write per fsync. A lone writer
/// is not delayed: a batch is whatever was waiting, never a timer.
///
/// The leader is a waiting caller where there is one: the first caller to find no batch
/// in progress leads, and a leader whose own write is done hands the lead to the next
/// waiting caller. A finished batch wakes only its own callers and that next leader: with
/// dozens of writes waiting, waking them all after each commit to see whose turn it is
/// cost more than the writes themselves.
///
/// Writes nobody waits for (``enqueue(_:runBatch:)``) are led by a thread of this
/// object's own, the committer, which reports each outcome to the write's ticket. The
/// token endpoint answers from there: its request threads go on to the next request
/// instead of sleeping until the commit and being woken one by one.
final class GroupCommit: @unchecked Sendable {
    /// A bound on one transaction, so that a burst cannot make one batch's callers wait
    /// for a very long commit.
    static let maximumBatch = 128

    typealias BatchRunner = @Sendable ([PendingWrite]) -> Void

    /// Guards everything below; the committer thread sleeps on it.
    private let condition = Condition()
    private var pending: [PendingWrite] = []
    private var isLeading = false

    /// Set while the committer is asked to lead; it holds the pool's batch runner, and so
    /// the pool, only for as long as there is something to commit.
    private var committerRunner: BatchRunner?
    private var isCommitterStarted = false
    private var isStopped = false

    /// Writes waiting for a batch to take them.
    var queuedWrites: Int {
        condition.lock()
        defer { condition.unlock() }
        return pending.count
    }

    /// Queues `write` and returns when it has been committed or has failed; the thread
    /// that finds no batch in progress runs one with `runBatch`.
    func submit(_ write: PendingWrite, runBatch: @escaping BatchRunner) throws(StorageError) {
        precondition(write.hasWaitingCaller, "a write with a ticket is enqueued, not submitted")
        condition.lock()
        pending.append(write)
        if isLeading {
            condition.unlock()
            write.wakeUp?.wait()
            condition.lock()
        } else {
            isLeading = true
            write.leads = true
        }

        // Woken either done, or to lead; a leader runs batches until its own write is in
        // one, then hands the lead on.
        while !write.isDone {
            runNextBatch(with: runBatch, leader: write)
        }
        if write.leads { handOnLead(runBatch: runBatch) }
        condition.unlock()
        if let error = write.error { throw error }
    }

    /// Queues `write`, which carries a ticket, and returns at once; the committer runs it
    /// with `runBatch` unless a batch in progress takes it first.
    func enqueue(_ write: PendingWrite, runBatch: @escaping BatchRunner) {
        precondition(!write.hasWaitingCaller, "a write nobody waits for needs a ticket")
        condition.lock()
        defer { condition.unlock() }
        precondition(!isStopped, "a write enqueued after the pool closed")
        pending.append(write)
        if !isLeading {
            isLeading = true
            askCommitterToLead(runBatch)
        }
    }

    /// Ends the committer thread once it has nothing left to commit. Called when the
    /// pool goes away, when nothing can be pending: the committer holds the pool while it
    /// has work, and a waiting caller holds it too.
    func stop() {
        condition.lock()
        isStopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// Takes the next batch off the queue and runs it; called and returns with the lock
    /// held. `leader` is the waiting write of the thread leading, which it does not wake.
    private func runNextBatch(with runBatch: BatchRunner, leader: PendingWrite?) {
        let batch = Array(pending.prefix(Self.maximumBatch))
        pending.removeFirst(batch.count)
        condition.unlock()

        runBatch(batch)

        condition.lock()
        var finished: [PendingWrite] = []
        for done in batch {
            done.body = nil
            done.isDone = true
            if done.ticket != nil {
                finished.append(done)
            } else if done !== leader {
                done.wakeUp?.signal()
            }
        }
        guard !finished.isEmpty else { return }

        // Completions run without the lock: they may resume connections, or queue writes.
        condition.unlock()
        for done in finished { done.ticket?.finish(done.error) }
        condition.lock()
    }

    /// The lead goes to the next write with a waiting caller, or to the committer when
    /// only ticketed writes are left, or lapses when nothing is. Called with the lock held.
    private func handOnLead(runBatch: @escaping BatchRunner) {
        if let next = pending.first(where: \.hasWaitingCaller) {
            next.leads = true
            next.wakeUp?.signal()
        } else if !pending.isEmpty {
            askCommitterToLead(runBatch)
        } else {
            isLeading = false
        }
    }

    private func askCommitterToLead(_ runBatch: @escaping BatchRunner) {
        committerRunner = runBatch
        if isCommitterStarted {
            condition.signal()
        } else {
            isCommitterStarted = true
            DetachedThread.start(name: "sqlite-commit") { [self] in runCommitter() }
        }
    }

    /// The committer thread: leads whenever asked, until the queue is empty, and waits
    /// for the next request until the pool stops it.
    private func runCommitter() {
        while leadWhenAsked() {}
    }

    /// Waits to be asked to lead and leads until the queue is empty; false once stopped.
    ///
    /// The runner goes out of scope only after the lock is released: it may hold the last
    /// reference to the pool, whose deinit calls ``stop()``.
    private func leadWhenAsked() -> Bool {
        condition.lock()
        while committerRunner == nil && !isStopped { condition.wait() }
        guard let runBatch = committerRunner else {
            condition.unlock()
            return false
        }
        while !pending.isEmpty {
            runNextBatch(with: runBatch, leader: nil)
        }
        committerRunner = nil
        isLeading = false
        condition.unlock()
        return true
    }
}

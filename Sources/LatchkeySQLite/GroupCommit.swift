import Dispatch
import LatchkeyStorage
import LatchkeyThreads

/// One caller's write, waiting for whichever thread leads the next batch to run it.
///
/// The caller sleeps on its own semaphore until the write is done or it is asked to lead
/// the next batch; the lock in ``GroupCommit`` orders the leader's writes to ``error``
/// and ``isDone`` before the caller reads them.
final class PendingWrite: @unchecked Sendable {
    /// Dropped, under the lock, before the write is marked done: the caller passed it
    /// through `withoutActuallyEscaping`, which traps if it is still referenced when the
    /// caller returns.
    var body: ((SQLiteConnection) throws(StorageError) -> Void)?
    var error: StorageError?
    var isDone = false
    /// Set when the previous leader hands the next batch to this write's caller.
    var leads = false
    let wakeUp = DispatchSemaphore(value: 0)

    init(_ body: @escaping (SQLiteConnection) throws(StorageError) -> Void) {
        self.body = body
    }
}

/// Group commit: writes that arrive while a commit is on its way to disk are queued, and
/// the next of their callers commits them all in one transaction, with one fsync.
///
/// With `synchronous = FULL` every commit waits for the disk; without batching, writers
/// queue behind each other's fsyncs and throughput is one write per fsync. A lone writer
/// is not delayed: a batch is whatever was waiting, never a timer.
///
/// A finished batch wakes only its own callers, and the caller of the oldest waiting
/// write to lead the next one: with dozens of writes waiting, waking them all after each
/// commit to see whose turn it is cost more than the writes themselves.
final class GroupCommit: @unchecked Sendable {
    /// A bound on one transaction, so that a burst cannot make one batch's callers wait
    /// for a very long commit.
    static let maximumBatch = 128

    private let lock = Lock()
    private var pending: [PendingWrite] = []
    private var isLeading = false

    /// Queues `write` and returns when it has been committed or has failed; the thread
    /// that finds no batch in progress runs one with `runBatch`.
    func submit(_ write: PendingWrite, runBatch: ([PendingWrite]) -> Void) throws(StorageError) {
        lock.lock()
        pending.append(write)
        if isLeading {
            lock.unlock()
            write.wakeUp.wait()
            lock.lock()
        } else {
            isLeading = true
            write.leads = true
        }

        // Woken either done, or to lead; a leader runs batches until its own write is in
        // one, then hands the lead on.
        while !write.isDone {
            let batch = Array(pending.prefix(Self.maximumBatch))
            pending.removeFirst(batch.count)
            lock.unlock()

            runBatch(batch)

            lock.lock()
            for done in batch {
                done.body = nil
                done.isDone = true
                if done !== write { done.wakeUp.signal() }
            }
        }

        if write.leads {
            if let next = pending.first {
                next.leads = true
                next.wakeUp.signal()
            } else {
                isLeading = false
            }
        }
        lock.unlock()
        if let error = write.error { throw error }
    }
}

import Foundation
import LatchkeyStorage

/// One caller's write, waiting for whichever thread leads the next batch to run it.
///
/// The caller blocks until ``isDone``; the lock in ``GroupCommit`` orders the leader's
/// writes to ``error`` before the caller reads it.
final class PendingWrite: @unchecked Sendable {
    /// Dropped, under the lock, before the write is marked done: the caller passed it
    /// through `withoutActuallyEscaping`, which traps if it is still referenced when the
    /// caller returns.
    var body: ((SQLiteConnection) throws(StorageError) -> Void)?
    var error: StorageError?
    var isDone = false

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
final class GroupCommit: @unchecked Sendable {
    /// A bound on one transaction, so that a burst cannot make one batch's callers wait
    /// for a very long commit.
    static let maximumBatch = 128

    // NSCondition rather than Mutex: Mutex needs macOS 15 and the package supports 14.
    private let condition = NSCondition()
    private var pending: [PendingWrite] = []
    private var isLeading = false

    /// Queues `write` and returns when it has been committed or has failed; the thread
    /// that finds no batch in progress runs one with `runBatch`.
    func submit(_ write: PendingWrite, runBatch: ([PendingWrite]) -> Void) throws(StorageError) {
        condition.lock()
        pending.append(write)

        while !write.isDone {
            guard !isLeading else {
                condition.wait()
                continue
            }

            isLeading = true
            let batch = Array(pending.prefix(Self.maximumBatch))
            pending.removeFirst(batch.count)
            condition.unlock()

            runBatch(batch)

            condition.lock()
            for done in batch {
                done.body = nil
                done.isDone = true
            }
            isLeading = false
            condition.broadcast()
        }

        condition.unlock()
        if let error = write.error { throw error }
    }
}

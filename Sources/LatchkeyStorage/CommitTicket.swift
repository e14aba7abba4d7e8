import LatchkeyThreads

/// A write that was queued instead of waited for: whoever queued it goes on with other
/// work, and learns from the ticket once the write is on disk or has failed.
///
/// A thread that waits for its commit has to be woken afterwards, and on a busy token
/// endpoint those wake-ups cost more than the writes. A ticket lets the thread that
/// committed a batch pass each result on itself.
public final class CommitTicket: Sendable {
    public typealias Completion = @Sendable (StorageError?) -> Void

    private let lock = Lock()
    nonisolated(unsafe) private var outcome: Outcome = .pending(nil)

    private enum Outcome {
        /// Not finished; holds the completion once one is set.
        case pending(Completion?)
        case finished(StorageError?)
    }

    public init() {}

    /// A ticket for a write that has already finished, with `error` when it failed.
    public static func finished(_ error: StorageError?) -> CommitTicket {
        let ticket = CommitTicket()
        ticket.outcome = .finished(error)
        return ticket
    }

    /// Calls `completion` once, with nil when the write committed or with why it did not:
    /// at once when the write has already finished, otherwise on the thread that
    /// finishes it. One completion per ticket.
    public func whenFinished(_ completion: @escaping Completion) {
        lock.lock()
        switch outcome {
        case .pending(let existing):
            precondition(existing == nil, "a commit ticket takes one completion")
            outcome = .pending(completion)
            lock.unlock()
        case .finished(let error):
            lock.unlock()
            completion(error)
        }
    }

    /// Records the write's outcome and calls the completion, if one is set. Only the
    /// backend that queued the write calls this, once.
    public func finish(_ error: StorageError?) {
        lock.lock()
        guard case .pending(let completion) = outcome else {
            lock.unlock()
            preconditionFailure("a commit ticket finished twice")
        }
        outcome = .finished(error)
        lock.unlock()
        completion?(error)
    }

    /// Blocks until the write has finished, and throws its error; for callers with
    /// nothing else to do meanwhile.
    public func wait() throws(StorageError) {
        let done = Condition()
        let box = ErrorBox()
        whenFinished { error in
            done.lock()
            box.error = error
            box.isSet = true
            done.signal()
            done.unlock()
        }
        done.lock()
        while !box.isSet { done.wait() }
        let error = box.error
        done.unlock()
        if let error { throw error }
    }
}

/// The outcome handed from the finishing thread to a waiting one, under the waiter's
/// condition.
private final class ErrorBox: @unchecked Sendable {
    var error: StorageError?
    var isSet = false
}

extension CommitTicket: Equatable {
    /// Tickets are equal only when they are the same ticket: each stands for one write.
    public static func == (left: CommitTicket, right: CommitTicket) -> Bool {
        left === right
    }
}

import CSQLite
import LatchkeyStorage
import LatchkeyThreads

/// A small, bounded set of connections to one database file, shared by all threads.
///
/// A thread takes a connection for the length of one storage call and gives it back. At
/// most `capacity` are open, so memory stays bounded however many HTTP workers there are;
/// a caller beyond that waits for one to come back.
///
/// Writes within this process are also ordered here, ahead of SQLite, and committed in
/// groups (``GroupCommit``): waiting on a condition is fair and wakes at once, where
/// SQLite's busy handler polls with sleeps of up to 100 ms. SQLite's own lock (and busy
/// timeout) still orders writes against other processes, such as the command-line tool.
final class ConnectionPool: @unchecked Sendable {
    private let path: String
    private let capacity: Int
    private let condition = Condition()
    private var idle: [SQLiteConnection] = []
    private var openCount = 0
    private let groupCommit = GroupCommit()
    let checkpointer: Checkpointer

    init(path: String, capacity: Int) throws(StorageError) {
        precondition(capacity > 0, "a connection pool needs room for one connection")
        // Connections are opened with SQLITE_OPEN_NOMUTEX and handed between threads,
        // which a library built single-threaded cannot do safely.
        guard sqlite3_threadsafe() != 0 else {
            throw StorageError.failure("the SQLite library was built without thread safety")
        }
        self.path = path
        self.capacity = capacity
        self.checkpointer = Checkpointer(path: path)

        // Open one now, so that a bad path or a file that is not a database fails in init.
        let first = try SQLiteConnection(path: path)
        first.reportCommits(to: checkpointer)
        idle.append(first)
        openCount = 1
    }

    deinit {
        groupCommit.stop()
        checkpointer.stop()
    }

    /// Connections open and in use, and writes waiting for a commit.
    var usage: ConnectionPoolUsage {
        condition.lock()
        defer { condition.unlock() }
        return ConnectionPoolUsage(
            inUse: openCount - idle.count, open: openCount, capacity: capacity,
            queuedWrites: groupCommit.queuedWrites)
    }

    /// Runs a read on a connection of its own.
    @discardableResult
    func read<Result>(
        _ body: (SQLiteConnection) throws(StorageError) -> Result
    ) throws(StorageError) -> Result {
        let connection = try checkOut()
        defer { checkIn(connection) }
        return try body(connection)
    }

    /// Runs a write in an IMMEDIATE transaction, possibly shared with other writers of
    /// this process, and returns once it is committed.
    ///
    /// The write is atomic on its own: it runs inside a savepoint, so when it throws, its
    /// changes are undone and the other writes of the batch still commit.
    @discardableResult
    func write<Result>(
        _ body: (SQLiteConnection) throws(StorageError) -> Result
    ) throws(StorageError) -> Result {
        var result: Result?

        // The caller blocks until the batch that runs `body` is done, so `body` does not
        // outlive this call even though another thread may run it.
        try withoutActuallyEscaping(body) { body throws(StorageError) in
            let write = PendingWrite { connection throws(StorageError) in
                result = try body(connection)
            }
            try groupCommit.submit(write) { [self] batch in runBatch(batch) }
        }

        guard let result else { throw StorageError.failure("write finished without a result") }
        return result
    }

    /// Queues a write like ``write(_:)`` does, but returns at once: the ticket finishes
    /// when the write is committed or has failed, on the thread that committed it.
    func writeLater(
        _ body: @escaping (SQLiteConnection) throws(StorageError) -> Void
    ) -> CommitTicket {
        let ticket = CommitTicket()
        groupCommit.enqueue(PendingWrite(body, ticket: ticket)) { [self] batch in
            runBatch(batch)
        }
        return ticket
    }

    /// Runs every write of `batch` in one transaction and records each one's outcome.
    private func runBatch(_ batch: [PendingWrite]) {
        do {
            let connection = try checkOut()
            defer { checkIn(connection) }

            try connection.immediateTransaction { () throws(StorageError) in
                for write in batch {
                    guard let body = write.body else { continue }
                    write.error = try connection.inSavepoint(body)
                }
            }
        } catch {
            // Nothing of the batch was committed: a write that had succeeded inside the
            // transaction fails with the reason the transaction did.
            for write in batch where write.error == nil { write.error = error }
        }
    }

    private func checkOut() throws(StorageError) -> SQLiteConnection {
        condition.lock()
        while idle.isEmpty && openCount >= capacity {
            condition.wait()
        }
        if let connection = idle.popLast() {
            condition.unlock()
            return connection
        }
        openCount += 1
        condition.unlock()

        // Opening happens outside the lock; a failure gives the slot back.
        do {
            let connection = try SQLiteConnection(path: path)
            connection.reportCommits(to: checkpointer)
            return connection
        } catch {
            condition.lock()
            openCount -= 1
            condition.signal()
            condition.unlock()
            throw error
        }
    }

    private func checkIn(_ connection: SQLiteConnection) {
        condition.lock()
        idle.append(connection)
        condition.signal()
        condition.unlock()
    }
}

import LatchkeyStorage
import LatchkeyThreads

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A bounded set of connections to one PostgreSQL database, shared by all threads.
///
/// A caller takes a connection for the length of one storage call and gives it back. At
/// most `capacity` are open, so one process never holds more than its share of the
/// server's `max_connections`; a caller beyond that waits, but only for a bounded time.
///
/// Connections are opened lazily and replaced when they break: one the server closed
/// while idle (restart, failover, `pg_terminate_backend`) is noticed and dropped before a
/// request is sent on it, and one that fails during a call is dropped afterwards. While
/// the server is down every call fails after at most the connect timeout, with
/// ``StorageError/unavailable(_:)``; the first call after it is back opens a new
/// connection and succeeds.
final class ConnectionPool: @unchecked Sendable {
    private let settings: ConnectionSettings
    private let capacity: Int
    /// How long a caller waits for a connection when all are busy: a busy connection is
    /// back within a statement timeout, so waiting longer means the database is stuck.
    private let checkOutTimeout: TimeInterval
    private let condition = Condition()
    private var idle: [PostgresConnection] = []
    private var openCount = 0

    init(settings: ConnectionSettings, capacity: Int) {
        precondition(capacity > 0, "a connection pool needs room for one connection")
        self.settings = settings
        self.capacity = capacity
        checkOutTimeout =
            Double(settings.statementTimeoutMilliseconds) / 1000
            + Double(settings.connectTimeoutSeconds) + 1
    }

    /// Connections open and in use.
    var usage: ConnectionPoolUsage {
        condition.lock()
        defer { condition.unlock() }
        return ConnectionPoolUsage(
            inUse: openCount - idle.count, open: openCount, capacity: capacity)
    }

    /// Runs `body` on a connection of its own, outside any transaction.
    @discardableResult
    func withConnection<Result>(
        _ body: (PostgresConnection) throws(StorageError) -> Result
    ) throws(StorageError) -> Result {
        let connection = try checkOut()
        defer { checkIn(connection) }
        return try body(connection)
    }

    /// Runs `body` in one transaction on a connection of its own.
    @discardableResult
    func transaction<Result>(
        _ body: (PostgresConnection) throws(StorageError) -> Result
    ) throws(StorageError) -> Result {
        try withConnection { connection throws(StorageError) in
            try connection.transaction { () throws(StorageError) in try body(connection) }
        }
    }

    private func checkOut() throws(StorageError) -> PostgresConnection {
        let deadline = ContinuousClock.now + .seconds(checkOutTimeout)
        condition.lock()
        while true {
            if let connection = idle.popLast() {
                // The liveness check only reads what is already on the socket; a dead
                // connection gives its slot back and the loop looks again.
                guard connection.isUsable else {
                    openCount -= 1
                    continue
                }
                condition.unlock()
                return connection
            }
            if openCount < capacity { break }
            guard condition.wait(until: deadline) else {
                condition.unlock()
                throw StorageError.unavailable(
                    "all \(capacity) PostgreSQL connections stayed busy for "
                        + "\(Int(checkOutTimeout)) s")
            }
        }
        openCount += 1
        condition.unlock()

        // Connecting happens outside the lock; a failure gives the slot back.
        do {
            return try PostgresConnection(settings: settings)
        } catch {
            condition.lock()
            openCount -= 1
            condition.signal()
            condition.unlock()
            throw error
        }
    }

    /// Returns a healthy connection to the pool and closes any other (closing happens
    /// when the last reference goes, outside the lock).
    private func checkIn(_ connection: PostgresConnection) {
        let keep = !connection.mustBeDiscarded
        condition.lock()
        if keep {
            idle.append(connection)
        } else {
            openCount -= 1
        }
        condition.signal()
        condition.unlock()
    }
}

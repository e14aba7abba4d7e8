import CSQLite
import LatchkeyStorage

/// One SQLite connection and its prepared statements.
///
/// Not thread-safe: the pool hands a connection to one thread at a time, which is why it
/// is opened with `SQLITE_OPEN_NOMUTEX`.
final class SQLiteConnection {
    private let handle: OpaquePointer
    /// Prepared once per connection, keyed by their SQL text, reused for its lifetime.
    private var statements: [StatementKey: OpaquePointer] = [:]
    /// Retained while the connection is open: SQLite calls it back after each commit.
    private var checkpointer: Unmanaged<Checkpointer>?

    /// How long a statement waits for another process's write lock before failing.
    static let busyTimeoutMilliseconds: Int32 = 10_000

    init(path: String) throws(StorageError) {
        Self.configureProcessOnce
        var opened: OpaquePointer?
        let flags =
            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
            | SQLITE_OPEN_EXRESCODE
        let status = sqlite3_open_v2(path, &opened, flags, nil)
        guard let opened else { throw storageError(code: status, message: "cannot open") }
        guard status == SQLITE_OK else {
            defer { sqlite3_close_v2(opened) }
            try check(status, opened)
            throw StorageError.unavailable("cannot open database")
        }
        handle = opened

        // Every property is set by now, so a failure here still runs deinit, which closes.
        try configure()
    }

    deinit {
        close()
    }

    /// SQLite's process-wide settings, made before the first connection opens. Failing
    /// is harmless: it means SQLite was already initialized, and only speed is lost.
    private static let configureProcessOnce: Void = {
        _ = csqlite_disable_memory_statistics()
    }()

    /// The settings SQLite keeps per connection.
    private func configure() throws(StorageError) {
        // The busy handler comes first: switching to WAL itself takes a lock that a second
        // process may hold.
        try check(sqlite3_busy_timeout(handle, Self.busyTimeoutMilliseconds), handle)

        // WAL lets readers run beside the writer. synchronous=FULL fsyncs the WAL on every
        // commit, so a token handed to a client is on disk before the call returns; NORMAL
        // would survive kill -9 too, but not a power loss or kernel crash.
        let journalMode = try queryFirst("PRAGMA journal_mode = WAL") { row in row.text(0) }
        guard journalMode?.lowercased() == "wal" else {
            // SQLite answers with the mode it kept when it cannot switch (for example on
            // a filesystem without shared memory); running without WAL would block readers.
            throw StorageError.unavailable(
                "cannot switch to WAL, journal mode is \(journalMode ?? "unknown")")
        }
        try executeScript("PRAGMA synchronous = FULL")
        try executeScript("PRAGMA foreign_keys = ON")
        // 1 MiB of page cache a connection, half SQLite's default: the pool's eight
        // connections are all open under load since writes run on the blocking pool,
        // and pages they miss come from the kernel's page cache at the cost of a read
        // call. Measured with 1.6 million tokens, the API keeps 0.96 x its rate.
        try executeScript("PRAGMA cache_size = -1024")
    }

    private func close() {
        for statement in statements.values { sqlite3_finalize(statement) }
        statements.removeAll()
        sqlite3_close_v2(handle)
        checkpointer?.release()
    }

    /// Hands every commit's log length to `checkpointer`, in place of SQLite's own
    /// checkpointing after commits.
    func reportCommits(to checkpointer: Checkpointer) {
        precondition(self.checkpointer == nil, "a connection reports to one checkpointer")
        let retained = Unmanaged.passRetained(checkpointer)
        self.checkpointer = retained
        sqlite3_wal_hook(handle, Self.walHook, retained.toOpaque())
    }

    private static let walHook:
        @convention(c) (
            UnsafeMutableRawPointer?, OpaquePointer?, UnsafePointer<CChar>?, Int32
        ) -> Int32 = { context, connection, schema, frames in
            guard let context, let connection else { return SQLITE_OK }
            Unmanaged<Checkpointer>.fromOpaque(context).takeUnretainedValue().committed(
                frames: frames, connection: connection, schema: schema)
            return SQLITE_OK
        }

    /// Copies what it can of the log into the database without waiting for anyone.
    func checkpointPassively() {
        sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
    }

    // MARK: Statements

    /// Runs SQL text without parameters, such as pragmas and schema scripts. Never used
    /// with values from outside.
    func executeScript(_ sql: String) throws(StorageError) {
        try check(sqlite3_exec(handle, sql, nil, nil, nil), handle)
    }

    /// Runs a statement for its effect and returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, _ values: [SQLValue] = []) throws(StorageError) -> Int {
        try withStatement(sql, values) { statement throws(StorageError) in
            while try check(sqlite3_step(statement), handle) == SQLITE_ROW {}
        }
        return Int(sqlite3_changes64(handle))
    }

    /// Runs a statement and maps every result row.
    func query<Element>(
        _ sql: String, _ values: [SQLValue] = [], row map: (SQLiteRow) throws -> Element
    ) throws(StorageError) -> [Element] {
        try withStatement(sql, values) { statement throws(StorageError) in
            var elements: [Element] = []
            while try check(sqlite3_step(statement), handle) == SQLITE_ROW {
                do {
                    elements.append(try map(SQLiteRow(statement: statement)))
                } catch let error as StorageError {
                    throw error
                } catch {
                    throw StorageError.failure("cannot read row: \(error)")
                }
            }
            return elements
        }
    }

    /// The first row only, or nil.
    func queryFirst<Element>(
        _ sql: String, _ values: [SQLValue] = [], row map: (SQLiteRow) throws -> Element
    ) throws(StorageError) -> Element? {
        try query(sql, values, row: map).first
    }

    /// Binds `values` to the cached statement for `sql`, runs `body`, then resets the
    /// statement whatever happened, so it never holds a read snapshot or a write open.
    private func withStatement<Result>(
        _ sql: String, _ values: [SQLValue],
        _ body: (OpaquePointer) throws(StorageError) -> Result
    ) throws(StorageError) -> Result {
        let statement = try prepared(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }

        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1), in: statement)
        }
        return try body(statement)
    }

    private func prepared(_ sql: String) throws(StorageError) -> OpaquePointer {
        if let statement = statements[StatementKey(sql: sql)] { return statement }

        var statement: OpaquePointer?
        let status = sqlite3_prepare_v3(
            handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        try check(status, handle)
        guard let statement else { throw StorageError.failure("empty statement") }

        statements[StatementKey(sql: sql)] = statement
        return statement
    }

    private func bind(
        _ value: SQLValue, at index: Int32, in statement: OpaquePointer
    ) throws(StorageError) {
        switch value {
        case .integer(let integer):
            try check(sqlite3_bind_int64(statement, index, integer), handle)
        case .null:
            try check(sqlite3_bind_null(statement, index), handle)
        case .text(let text):
            // The explicit length keeps every byte; SQLITE_TRANSIENT makes SQLite copy,
            // since the Swift buffer does not outlive this call. The string's own UTF-8
            // storage is bound, without copying it into an array first.
            var text = text
            let status = text.withUTF8 { buffer in
                guard let bytes = buffer.baseAddress else {
                    // A nil pointer would bind NULL instead of an empty string.
                    return sqlite3_bind_text64(
                        statement, index, "", 0, csqlite_transient(), UInt8(SQLITE_UTF8))
                }
                return sqlite3_bind_text64(
                    statement, index, UnsafeRawPointer(bytes).assumingMemoryBound(to: CChar.self),
                    UInt64(buffer.count), csqlite_transient(), UInt8(SQLITE_UTF8))
            }
            try check(status, handle)
        }
    }

    // MARK: Transactions

    /// Runs `body`'s reads in one read transaction (`BEGIN ... COMMIT`): one snapshot, and
    /// one lock in the write-ahead log's index instead of one per statement.
    func readTransaction<Result>(
        _ body: () throws(StorageError) -> Result
    ) throws(StorageError) -> Result {
        try transaction(beginningWith: "BEGIN", body)
    }

    /// Runs `body` inside `BEGIN IMMEDIATE ... COMMIT`, rolling back when it throws.
    ///
    /// IMMEDIATE takes the write lock up front, waiting through the busy timeout; a
    /// deferred transaction that read first would instead fail with SQLITE_BUSY when
    /// another connection committed in between.
    func immediateTransaction<Result>(
        _ body: () throws(StorageError) -> Result
    ) throws(StorageError) -> Result {
        try transaction(beginningWith: "BEGIN IMMEDIATE", body)
    }

    private func transaction<Result>(
        beginningWith begin: String, _ body: () throws(StorageError) -> Result
    ) throws(StorageError) -> Result {
        try execute(begin)
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            // A failed COMMIT can leave the transaction open; rolling back closes it, and
            // its own failure adds nothing to the error already on its way.
            if sqlite3_get_autocommit(handle) == 0 { _ = try? execute("ROLLBACK") }
            throw error
        }
    }

    /// Runs `body` inside a savepoint of the open transaction. When it throws, only its
    /// own changes are undone and its error is returned, for the other writes of a batch
    /// to go on.
    ///
    /// Rethrows when the error ended the whole transaction (SQLite rolls back by itself
    /// after I/O errors, a full disk or running out of memory): nothing after it could
    /// commit.
    func inSavepoint(
        _ body: (SQLiteConnection) throws(StorageError) -> Void
    ) throws(StorageError) -> StorageError? {
        try execute("SAVEPOINT latchkey_write")
        do {
            try body(self)
            try execute("RELEASE latchkey_write")
            return nil
        } catch {
            guard sqlite3_get_autocommit(handle) == 0 else { throw error }
            try execute("ROLLBACK TO latchkey_write")
            try execute("RELEASE latchkey_write")
            return error
        }
    }
}

/// A statement's SQL text as the key of a connection's statement cache.
///
/// Hashed by its length and last 32 bytes only: hashing the whole text, hundreds of bytes
/// for the joined lookups, cost more than the rest of the lookup on every query. Texts
/// that hash alike still compare in full, so a collision costs a comparison, never the
/// wrong statement.
private struct StatementKey: Hashable {
    let sql: String

    func hash(into hasher: inout Hasher) {
        var text = sql
        text.withUTF8 { bytes in
            hasher.combine(bytes.count)
            hasher.combine(
                bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes.suffix(32))))
        }
    }
}

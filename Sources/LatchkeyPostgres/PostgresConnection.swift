import CPostgres
import LatchkeyStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One libpq connection and the statements prepared on it.
///
/// Not thread-safe: libpq allows one thread at a time per connection, and the pool hands
/// a connection to one caller at a time.
final class PostgresConnection {
    private let handle: OpaquePointer
    private let settings: ConnectionSettings
    /// Statement names by SQL text: each statement is prepared once per connection (one
    /// parse and plan on the server) and executed by name from then on.
    private var statements: [String: String] = [:]

    init(settings: ConnectionSettings) throws(StorageError) {
        self.settings = settings

        // The defaults come first and the URL last, so that options in the URL win;
        // expand_dbname makes libpq read the URL as a whole connection string.
        let pairs = settings.defaults + [("dbname", settings.url)]
        let opened = withCStrings(pairs.map(\.keyword)) { keywords in
            withCStrings(pairs.map(\.value)) { values in
                PQconnectdbParams(keywords, values, 1)
            }
        }
        guard let opened else {
            throw StorageError.unavailable("postgres: out of memory opening a connection")
        }
        guard PQstatus(opened) == CONNECTION_OK else {
            let reason = settings.sanitize(String(cString: PQerrorMessage(opened)))
            PQfinish(opened)
            throw StorageError.unavailable("cannot connect: \(reason)")
        }
        handle = opened
        cpostgres_silence_notices(handle)

        // Every property is set by now, so a failure here still runs deinit, which closes.
        try configure()
    }

    deinit {
        PQfinish(handle)
    }

    /// The per-connection settings. The values are Latchkey's own integers, not input.
    private func configure() throws(StorageError) {
        // A statement that runs longer fails (SQLSTATE 57014, mapped to unavailable)
        // instead of holding a request thread and a pooled connection.
        try executeScript("SET statement_timeout = \(settings.statementTimeoutMilliseconds)")
        // A transaction left open by a bug or a stalled client cannot hold row locks for
        // long.
        let idleLimit = min(settings.statementTimeoutMilliseconds * 2, Int(Int32.max))
        try executeScript("SET idle_in_transaction_session_timeout = \(idleLimit)")
    }

    // MARK: State

    /// The server process serving this connection, for tests that kill it.
    var backendPID: Int32 { PQbackendPID(handle) }

    /// Whether the connection can take a statement now: it reads whatever the server sent
    /// while the connection sat idle (without blocking: libpq sockets are non-blocking), so
    /// a connection the server closed (restart, failover, `pg_terminate_backend`) is seen
    /// as broken before a request is sent on it.
    var isUsable: Bool {
        // A terminated server process sends an error, then closes: the first read returns
        // the error (parsed, and dropped as a notice, by PQisBusy), the second sees the
        // end of the stream and marks the connection bad.
        for _ in 0..<2 {
            guard PQstatus(handle) == CONNECTION_OK, PQconsumeInput(handle) == 1 else {
                return false
            }
            _ = PQisBusy(handle)
        }
        return PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE
    }

    /// Whether the connection is broken or still inside a transaction: either way it must
    /// not go back to the pool.
    var mustBeDiscarded: Bool {
        PQstatus(handle) != CONNECTION_OK || PQtransactionStatus(handle) != PQTRANS_IDLE
    }

    // MARK: Statements

    /// Runs constant SQL without parameters (settings, transaction control, migrations),
    /// possibly several statements. Never used with values from outside.
    func executeScript(_ sql: String) throws(StorageError) {
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try check(result)
    }

    /// Runs a statement for its effect and returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, _ values: [PostgresValue] = []) throws(StorageError) -> Int {
        try withResult(sql, values) { result in
            Int(String(cString: PQcmdTuples(result))) ?? 0
        }
    }

    /// Runs a statement and maps every result row.
    func query<Element>(
        _ sql: String, _ values: [PostgresValue] = [],
        row map: (PostgresRow) throws(StorageError) -> Element
    ) throws(StorageError) -> [Element] {
        try withResult(sql, values) { result throws(StorageError) in
            let count = PQntuples(result)
            var elements: [Element] = []
            elements.reserveCapacity(Int(count))
            for index in 0..<count {
                elements.append(try map(PostgresRow(result: result, row: index)))
            }
            return elements
        }
    }

    /// The first row only, or nil.
    func queryFirst<Element>(
        _ sql: String, _ values: [PostgresValue] = [],
        row map: (PostgresRow) throws(StorageError) -> Element
    ) throws(StorageError) -> Element? {
        try query(sql, values, row: map).first
    }

    /// Executes the prepared statement for `sql` with `values` as text parameters, and
    /// clears the result whatever `body` does.
    private func withResult<Result>(
        _ sql: String, _ values: [PostgresValue],
        _ body: (OpaquePointer) throws(StorageError) -> Result
    ) throws(StorageError) -> Result {
        let name = try prepared(sql)
        let texts = values.map(\.wireText)
        for text in texts where text?.utf8.contains(0) == true {
            throw StorageError.failure("PostgreSQL text cannot hold a NUL character")
        }

        let result = withOptionalCStrings(texts) { parameters in
            PQexecPrepared(handle, name, Int32(texts.count), parameters, nil, nil, 0)
        }
        defer { PQclear(result) }
        try check(result)
        guard let result else { throw StorageError.failure("postgres: no result") }
        return try body(result)
    }

    private func prepared(_ sql: String) throws(StorageError) -> String {
        if let name = statements[sql] { return name }

        let name = "latchkey_\(statements.count + 1)"
        // No parameter types: the server infers each from where it is used.
        let result = PQprepare(handle, name, sql, 0, nil)
        defer { PQclear(result) }
        try check(result)

        statements[sql] = name
        return name
    }

    /// Passes a successful result; throws the mapped error for anything else.
    private func check(_ result: OpaquePointer?) throws(StorageError) {
        if let result {
            let status = PQresultStatus(result)
            if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK { return }
        }
        let error = storageError(
            result: result,
            connectionMessage: String(cString: PQerrorMessage(handle)),
            connectionIsBroken: PQstatus(handle) != CONNECTION_OK)
        throw sanitized(error)
    }

    private func sanitized(_ error: StorageError) -> StorageError {
        switch error {
        case .conflict: error
        case .unavailable(let message): .unavailable(settings.sanitize(message))
        case .failure(let message): .failure(settings.sanitize(message))
        }
    }

    // MARK: Transactions

    /// Runs `body` inside `BEGIN ... COMMIT` at READ COMMITTED, rolling back when it
    /// throws. The statements that must be atomic against other processes are written as
    /// single conditional statements or take row locks; the transaction makes the several
    /// statements of one call all-or-nothing.
    func transaction<Result>(
        _ body: () throws(StorageError) -> Result
    ) throws(StorageError) -> Result {
        try executeScript("BEGIN")
        do {
            let result = try body()
            try executeScript("COMMIT")
            return result
        } catch {
            // A broken connection has no transaction left to roll back; the pool drops it.
            if PQstatus(handle) == CONNECTION_OK, PQtransactionStatus(handle) != PQTRANS_IDLE {
                _ = try? executeScript("ROLLBACK")
            }
            throw error
        }
    }
}

/// Calls `body` with a NULL-terminated array of C strings, as libpq's keyword and value
/// arrays are, that live for the length of the call.
private func withCStrings<Result>(
    _ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> Result
) -> Result {
    withOptionalCStrings(strings.map { $0 } + [nil]) { body($0) }
}

/// Copies each string to a C string (nil stays nil, for SQL NULL) for the length of `body`.
private func withOptionalCStrings<Result>(
    _ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> Result
) -> Result {
    let copies = strings.map { string in string.flatMap { strdup($0) } }
    defer { for copy in copies { free(copy) } }
    return body(copies.map { UnsafePointer($0) })
}

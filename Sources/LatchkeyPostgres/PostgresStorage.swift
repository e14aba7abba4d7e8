import CPostgres
import LatchkeyStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The storage backend for several Latchkey processes sharing one PostgreSQL database
/// (SPEC §6), on libpq.
///
/// Safe from any thread: each call borrows a connection from a bounded pool. Every
/// statement is prepared once per connection and executed with its values as
/// parameters. Calls whose statements must be all-or-nothing run in one transaction;
/// single use of codes and refresh tokens rests on one conditional `UPDATE`, so it holds
/// across processes, not only across threads.
///
/// A commit returns once PostgreSQL has made it durable (with the server's default
/// `synchronous_commit = on`), so what a client was told survives a crash of Latchkey or
/// of the database server.
///
/// Dates are stored as BIGINT milliseconds since 1970 UTC, as in SQLite, so a date read
/// back equals the one written only to the millisecond. Text cannot contain NUL
/// characters in PostgreSQL: such a value fails with ``StorageError/failure(_:)``, where
/// SQLite would store it.
public final class PostgresStorage: Storage {
    let pool: ConnectionPool
    let settings: ConnectionSettings

    /// Checks the URL and prepares the pool; no connection is opened until first use, so
    /// a process can start while the database is still coming up.
    ///
    /// Call ``migrate()`` before anything else on a new database.
    /// - Parameters:
    ///   - url: `postgres://user:password@host:port/database` or `postgresql://...`, with
    ///     any query options libpq accepts (`sslmode=require`, `host=/socket/folder`,
    ///     `options=-csearch_path%3Dname`...). libpq parses it; a malformed URL throws
    ///     ``StorageError/failure(_:)`` here.
    ///   - poolSize: how many connections this process may hold at once.
    ///   - statementTimeout: how long one statement may run before the server cancels it
    ///     and the call fails with ``StorageError/unavailable(_:)``.
    ///   - connectTimeout: how long opening a connection may take; whole seconds, at least
    ///     two (libpq's minimum). A `connect_timeout` in the URL takes precedence.
    public init(
        url: String, poolSize: Int = 8, statementTimeout: Duration = .seconds(5),
        connectTimeout: Duration = .seconds(2)
    ) throws {
        // Connections are handed between threads, which a libpq built without thread
        // safety cannot do.
        guard PQisthreadsafe() == 1 else {
            throw StorageError.failure("the libpq library was built without thread safety")
        }
        guard poolSize > 0 else {
            throw StorageError.failure("the PostgreSQL pool size must be at least 1")
        }
        let statementMilliseconds = Self.milliseconds(statementTimeout)
        guard statementMilliseconds > 0 else {
            throw StorageError.failure("the PostgreSQL statement timeout must be positive")
        }
        let connectSeconds = max(2, (Self.milliseconds(connectTimeout) + 999) / 1000)

        settings = try ConnectionSettings(
            url: url, connectTimeoutSeconds: connectSeconds,
            statementTimeoutMilliseconds: statementMilliseconds)
        pool = ConnectionPool(settings: settings, capacity: poolSize)
    }

    /// The URL with its password replaced by `***`, for messages and logs.
    public var redactedURL: String { settings.redactedURL }

    /// `url` with its password replaced by `***`, for messages; the URL need not be valid.
    public static func redact(url: String) -> String {
        ConnectionSettings.redact(url)
    }

    /// How long a migration, waiting for another process's included, may take; far above
    /// the statement timeout, which is sized for requests.
    static let migrationTimeoutMilliseconds = 300_000

    /// The advisory lock's first key, "LK"; the second is the hash of the schema being
    /// migrated, so that processes migrating different schemas of one database do not
    /// wait for each other.
    static let migrationLockClass = 0x4C4B

    /// Applies every migration the database has not seen, each recorded in
    /// `schema_migrations`, all in one transaction. Idempotent; meant to run on every
    /// start.
    ///
    /// Safe when several processes start at once on an empty database: the transaction
    /// first takes an advisory lock, so one process migrates while the others wait, then
    /// find the schema up to date. Throws when the database was migrated by a newer
    /// Latchkey.
    public func migrate() throws {
        try pool.transaction { connection throws(StorageError) in
            try connection.executeScript(
                "SET LOCAL statement_timeout = \(Self.migrationTimeoutMilliseconds)")
            try connection.executeScript(
                """
                SELECT pg_advisory_xact_lock(\(Self.migrationLockClass),
                    hashtext(coalesce(current_schema(), '')))
                """)
            try connection.executeScript(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER CONSTRAINT schema_migrations_pkey PRIMARY KEY,
                    applied_at BIGINT NOT NULL
                )
                """)
            let current = try Self.recordedVersion(connection)

            guard current <= Schema.latestVersion else {
                throw StorageError.failure(
                    "database schema version \(current) is newer than this Latchkey's "
                        + "\(Schema.latestVersion)")
            }

            for migration in Schema.migrations where migration.version > current {
                try connection.executeScript(migration.sql)
                try connection.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                    [.integer(Int64(migration.version)), .date(Date())])
            }
        }
    }

    /// The highest migration applied to the database; 0 before the first ``migrate()``.
    public var schemaVersion: Int {
        get throws {
            try pool.withConnection { connection throws(StorageError) in
                try Self.recordedVersion(connection)
            }
        }
    }

    private static func recordedVersion(
        _ connection: PostgresConnection
    ) throws(StorageError) -> Int {
        let tableExists = try connection.queryFirst(
            "SELECT to_regclass('schema_migrations') IS NOT NULL"
        ) { row in row.text(0) == "t" }
        guard tableExists == true else { return 0 }

        let version = try connection.queryFirst(
            "SELECT coalesce(max(version), 0) FROM schema_migrations"
        ) { row in row.integer(0) }
        return Int(version ?? 0)
    }

    public func ping() throws {
        _ = try pool.withConnection { connection throws(StorageError) in
            try connection.queryFirst("SELECT 1") { row in row.integer(0) }
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let total = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return Int(max(0, min(total, Double(Int32.max))))
    }
}

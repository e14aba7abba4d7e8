import LatchkeyStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The embedded storage backend: one SQLite file in WAL mode (SPEC §6).
///
/// Safe from any thread: each call borrows a connection from a small pool. Every write
/// runs in a `BEGIN IMMEDIATE` transaction and is fsynced before the call returns
/// (`synchronous = FULL`), so what a client was told survives a crash. Writes arriving
/// together share one transaction and one fsync (``GroupCommit``), each in a savepoint of
/// its own, so each is still all-or-nothing. Several processes may open the same file;
/// they wait on SQLite's lock for each other, for up to
/// ``SQLiteConnection/busyTimeoutMilliseconds``.
///
/// Dates are stored as integer milliseconds since 1970 UTC, so a date read back equals
/// the one written only to the millisecond.
public final class SQLiteStorage: Storage {
    let pool: ConnectionPool
    let clientCache = ClientCache()

    /// Opens the database at `path`, creating the file and its folder if missing.
    ///
    /// Call ``migrate()`` before anything else on a new file.
    /// - Parameters:
    ///   - path: a filesystem path; an in-memory database is not supported, since every
    ///     pooled connection would see a database of its own.
    ///   - maxConnections: how many connections may be open at once.
    public init(path: String, maxConnections: Int = 8) throws {
        guard !path.isEmpty, path != ":memory:", !path.hasPrefix("file:") else {
            throw StorageError.failure("SQLite path must be a file path, not \(path)")
        }

        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw StorageError.unavailable(
                "cannot create folder \(folder.path): \(Self.reason(error))")
        }

        pool = try ConnectionPool(path: path, capacity: maxConnections)
    }

    /// The system's words for why a file operation failed (`Permission denied`).
    /// FoundationEssentials describes its errors field by field, where Foundation gave a
    /// sentence; the errno underneath is what the operator needs.
    private static func reason(_ error: any Error) -> String {
        guard let posix = (error as? CocoaError)?.underlying as? POSIXError else {
            return "\(error)"
        }
        return String(cString: strerror(posix.code.rawValue))
    }

    /// Applies every migration the file has not seen, each recorded in
    /// `schema_migrations`, all in one transaction. Idempotent; meant to run on every
    /// start. Throws when the file was migrated by a newer Latchkey.
    public func migrate() throws {
        try pool.write { connection throws(StorageError) in
            try connection.executeScript(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY,
                    applied_at INTEGER NOT NULL
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
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                    [.integer(Int64(migration.version)), .date(Date())])
            }
        }
    }

    /// The highest migration applied to the file; 0 before the first ``migrate()``.
    public var schemaVersion: Int {
        get throws {
            try pool.read { connection throws(StorageError) in
                try Self.recordedVersion(connection)
            }
        }
    }

    private static func recordedVersion(
        _ connection: SQLiteConnection
    ) throws(StorageError) -> Int {
        let tableExists = try connection.queryFirst(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'"
        ) { _ in true }
        guard tableExists == true else { return 0 }

        let version = try connection.queryFirst(
            "SELECT coalesce(max(version), 0) FROM schema_migrations"
        ) { row in row.integer(0) }
        return Int(version ?? 0)
    }

    public func ping() throws {
        _ = try pool.read { connection throws(StorageError) in
            try connection.queryFirst("SELECT 1") { row in row.integer(0) }
        }
    }

    /// Folds the write-ahead log into the database and empties it. Left behind, a log
    /// grown under load is read back whole by the next start before its first query
    /// (a few hundred milliseconds after a busy benchmark, against 30 ms otherwise).
    /// Runs outside a transaction, where a checkpoint can take the locks it needs; by now
    /// the server has stopped writing.
    public func finish() throws {
        pool.checkpointer.stop()
        try pool.read { connection throws(StorageError) in
            _ = try connection.queryFirst("PRAGMA wal_checkpoint(TRUNCATE)") { row in
                row.integer(0)
            }
        }
    }
}

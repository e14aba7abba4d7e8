import LatchkeyHTTP
import LatchkeyPostgres
import LatchkeySQLite
import LatchkeyStorage

/// The `--database` option: `sqlite:PATH`, or `postgres://...` / `postgresql://...` for
/// several processes sharing one PostgreSQL database.
enum DatabaseLocation {
    case sqlite(path: String)
    /// The URL as given, password included; shown only through ``description``.
    case postgres(url: String)

    static let defaultURL = "sqlite:./data/latchkey.db"

    /// Connections each process may hold: enough for the HTTP workers' storage calls,
    /// which are short, while ten processes stay within PostgreSQL's default
    /// `max_connections` of 100.
    static let postgresPoolSize = 8

    /// How many requests may wait on storage at once (`--blocking-threads`). SQLite
    /// commits every write waiting at that moment together, so more waiting writes make
    /// fewer fsyncs; 32 covers what 64 connections bring. PostgreSQL commits each write
    /// on its own connection, so threads beyond the pool's connections only queue for
    /// one: measured with 8 instead of 32, `client_credentials` p99 went from 47 ms to
    /// 19 ms and the refresh grant's from 88 ms to 39 ms.
    var defaultBlockingThreads: Int {
        switch self {
        case .sqlite: HTTPServerConfiguration().blockingThreadCount
        case .postgres: Self.postgresPoolSize
        }
    }

    static let option = OptionSpec(
        name: "database", kind: .value, valueName: "URL",
        help: "sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE (default \(defaultURL))"
    )

    init(_ url: String?) throws(UsageError) {
        let url = url ?? Self.defaultURL
        if url.hasPrefix("sqlite:") {
            var path = String(url.dropFirst("sqlite:".count))
            // Accept sqlite:///abs/path and sqlite://./rel as well as sqlite:PATH.
            if path.hasPrefix("//") { path.removeFirst(2) }
            guard !path.isEmpty else {
                throw UsageError(message: "--database sqlite: needs a path")
            }
            self = .sqlite(path: path)
        } else if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            // libpq parses the rest when the database is opened.
            self = .postgres(url: url)
        } else {
            // Not echoed whole: a mistyped URL may still hold a password.
            throw UsageError(
                message: "--database must be sqlite:PATH or postgres://..., not \""
                    + "\(PostgresStorage.redact(url: String(url.prefix(40))))\"")
        }
    }

    /// Opens the database and brings its schema up to date.
    ///
    /// Throws a ``CommandFailure`` naming the database (without its password) and the
    /// reason when PostgreSQL cannot be reached or refuses.
    func open() throws -> any Storage {
        switch self {
        case .sqlite(let path):
            let storage = try SQLiteStorage(path: path)
            try storage.migrate()
            return storage
        case .postgres(let url):
            do {
                let storage = try PostgresStorage(url: url, poolSize: Self.postgresPoolSize)
                try storage.migrate()
                return storage
            } catch let error as StorageError {
                throw CommandFailure(description: "cannot open \(description): \(reason(error))")
            }
        }
    }

    /// For messages: never contains a password.
    var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url): PostgresStorage.redact(url: url)
        }
    }

    private func reason(_ error: StorageError) -> String {
        switch error {
        case .conflict(let field): "conflict on \(field)"
        case .unavailable(let message), .failure(let message): message
        }
    }
}

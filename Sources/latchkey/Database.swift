import Foundation
import LatchkeySQLite
import LatchkeyStorage

/// The `--database` option: `sqlite:PATH` today.
enum DatabaseLocation {
    case sqlite(path: String)

    static let defaultURL = "sqlite:./data/latchkey.db"

    static let option = OptionSpec(
        name: "database", kind: .value, valueName: "URL",
        help: "sqlite:PATH (default \(defaultURL))")

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
            // The PostgreSQL backend is not built yet; refusing here is clearer than
            // failing later with a connection error.
            throw UsageError(message: "--database: PostgreSQL is not supported by this build yet")
        } else {
            throw UsageError(
                message: "--database must be sqlite:PATH, not \"\(url.prefix(40))\"")
        }
    }

    /// Opens the database and brings its schema up to date.
    func open() throws -> any Storage {
        switch self {
        case .sqlite(let path):
            let storage = try SQLiteStorage(path: path)
            try storage.migrate()
            return storage
        }
    }

    /// For messages: never contains a password.
    var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        }
    }
}

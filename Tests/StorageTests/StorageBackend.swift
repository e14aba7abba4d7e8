import Foundation
import LatchkeyPostgres
import LatchkeySQLite
import LatchkeyStorage
import Testing

/// A storage backend under test. Every test in this target runs once per backend, so a
/// new backend joins by adding itself to ``all``.
struct StorageBackend: Sendable, CustomTestStringConvertible {
    let name: String
    /// Creates an empty, migrated store that nothing else uses.
    let makeFixture: @Sendable () throws -> StorageFixture

    var testDescription: String { name }

    /// PostgreSQL joins when a test server is configured, or when one is required: then a
    /// missing server makes every PostgreSQL case fail instead of vanishing.
    static let all: [StorageBackend] =
        [.sqlite] + (PostgresTestDatabase.isEnabled ? [.postgres] : [])

    static let sqlite = StorageBackend(name: "SQLite") {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("latchkey-storage-tests-\(UUID().uuidString)")
        // A folder that does not exist yet: opening must create it.
        let path = folder.appendingPathComponent("nested/latchkey.db").path

        let open: @Sendable () throws -> any Storage = {
            let store = try SQLiteStorage(path: path)
            try store.migrate()
            return store
        }
        return try StorageFixture(
            store: open(), openAnother: open,
            cleanUp: { try? FileManager.default.removeItem(at: folder) })
    }

    /// A schema of its own per fixture, in the database of `LATCHKEY_TEST_POSTGRES_URL`.
    static let postgres = StorageBackend(name: "PostgreSQL") {
        let schema = try PostgresTestDatabase.makeSchema()

        let open: @Sendable () throws -> any Storage = {
            let store = try PostgresStorage(url: schema.url)
            try store.migrate()
            return store
        }
        // The closure keeps the schema alive as long as the fixture; it is dropped after.
        return try StorageFixture(
            store: open(), openAnother: open, cleanUp: { withExtendedLifetime(schema) {} })
    }
}

/// One fresh store, plus a way to open a second, independent handle on the same data
/// (another process's view: a new SQLite file handle, or a new PostgreSQL connection).
final class StorageFixture: Sendable {
    let store: any Storage
    let openAnother: @Sendable () throws -> any Storage
    private let cleanUp: @Sendable () -> Void

    init(
        store: any Storage, openAnother: @escaping @Sendable () throws -> any Storage,
        cleanUp: @escaping @Sendable () -> Void
    ) {
        self.store = store
        self.openAnother = openAnother
        self.cleanUp = cleanUp
    }

    deinit {
        cleanUp()
    }
}

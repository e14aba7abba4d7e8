import Foundation
import LatchkeyStorage
import TestThreads
import Testing

@testable import LatchkeyPostgres
@testable import LatchkeySQLite

/// Migration 3 on a database that ran every migration before it: the device table appears,
/// and clients that could already ask users in the browser may use the device grant.
@Suite(.onBlockingThreads) struct DeviceGrantMigrationTests {
    static let deviceGrant = "urn:ietf:params:oauth:grant-type:device_code"

    /// One client that asks users in the browser, and one that acts only as itself.
    private func checkUpgrade(_ store: any Storage, migrate: () throws -> Void) throws {
        var browser = newClient("browser")
        browser.grantTypes = ["authorization_code", "refresh_token"]
        var machine = newClient("machine")
        machine.grantTypes = ["client_credentials"]
        _ = try store.createClient(browser)
        _ = try store.createClient(machine)

        try migrate()

        #expect(
            try store.client(clientID: "browser")?.grantTypes
                == ["authorization_code", "refresh_token", Self.deviceGrant])
        #expect(try store.client(clientID: "machine")?.grantTypes == ["client_credentials"])
        let client = try #require(try store.client(clientID: "browser"))
        try store.storeDeviceAuthorization(deviceAuthorization("device-1", client: client.id))
    }

    @Test func sqlite_fromBeforeTheDeviceGrant_addsTheDeviceGrantToBrowserClients() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("latchkey-migration-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStorage(path: folder.appendingPathComponent("l.db").path)
        try store.pool.write { connection throws(StorageError) in
            try connection.executeScript(
                """
                CREATE TABLE schema_migrations (
                    version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
                INSERT INTO schema_migrations (version, applied_at) VALUES (2, 0);
                """)
            for migration in LatchkeySQLite.Schema.migrations where migration.version < 3 {
                try connection.executeScript(migration.sql)
            }
        }

        try checkUpgrade(store) { try store.migrate() }
        #expect(try store.schemaVersion == LatchkeySQLite.Schema.latestVersion)
    }

    @Test(.enabled(if: PostgresTestDatabase.isEnabled))
    func postgres_fromBeforeTheDeviceGrant_addsTheDeviceGrantToBrowserClients() throws {
        let schema = try PostgresTestDatabase.makeSchema()
        let store = try PostgresStorage(url: schema.url)
        try store.pool.transaction { connection throws(StorageError) in
            try connection.executeScript(
                """
                CREATE TABLE schema_migrations (
                    version INTEGER CONSTRAINT schema_migrations_pkey PRIMARY KEY,
                    applied_at BIGINT NOT NULL);
                INSERT INTO schema_migrations (version, applied_at) VALUES (2, 0);
                """)
            for migration in LatchkeyPostgres.Schema.migrations where migration.version < 3 {
                try connection.executeScript(migration.sql)
            }
        }

        try checkUpgrade(store) { try store.migrate() }
        #expect(try store.schemaVersion == LatchkeyPostgres.Schema.latestVersion)
    }
}

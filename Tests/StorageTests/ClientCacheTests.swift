import Foundation
import LatchkeyStorage
import Testing

@testable import LatchkeySQLite

/// SQLite keeps clients in memory between requests (`ClientCache`). A change made through
/// another handle on the same file, as another process or `latchkey client` would make
/// it, must be seen by the very next read, through both ways a client is read.
struct ClientCacheTests {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("latchkey-client-cache-\(UUID().uuidString)")
    var path: String { folder.appendingPathComponent("latchkey.db").path }

    /// Two handles on one file, the first having read (and so remembered) the client.
    func twoHandles() throws -> (reader: SQLiteStorage, writer: SQLiteStorage, client: Client) {
        let reader = try SQLiteStorage(path: path)
        try reader.migrate()
        let writer = try SQLiteStorage(path: path)
        let owner = try writer.createUser(newUser())
        let client = try writer.createClient(newClient(owner: owner.id))
        #expect(try reader.client(clientID: client.clientID) == client)
        #expect(try reader.client(clientID: client.clientID, andToken: nil).client == client)
        return (reader, writer, client)
    }

    /// What the reader sees now, read both ways; the two must agree.
    func seen(by reader: SQLiteStorage, _ clientID: String) throws -> Client? {
        let alone = try reader.client(clientID: clientID)
        let withToken = try reader.client(clientID: clientID, andToken: "none").client
        #expect(alone == withToken)
        return alone
    }

    @Test func update_throughAnotherHandle_isSeenAtOnce() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (reader, writer, client) = try twoHandles()
        var changed = client
        changed.name = "Renamed"
        changed.callbackURLs = ["https://renamed.example/cb"]
        changed.grantTypes = ["client_credentials"]

        try writer.updateClient(changed)

        #expect(try seen(by: reader, client.clientID) == changed)
    }

    @Test func newSecret_throughAnotherHandle_isSeenAtOnce() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (reader, writer, client) = try twoHandles()

        try writer.updateClientSecret(id: client.id, secretHash: "rotated")
        #expect(try seen(by: reader, client.clientID)?.secretHash == "rotated")

        #expect(try writer.replaceClientSecret(id: client.id, expected: "rotated", with: "again"))
        #expect(try seen(by: reader, client.clientID)?.secretHash == "again")

        try writer.updateClientSecret(id: client.id, secretHash: nil)
        #expect(try seen(by: reader, client.clientID)?.secretHash == nil)
    }

    @Test func delete_throughAnotherHandle_isSeenAtOnce() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (reader, writer, client) = try twoHandles()

        try writer.deleteClient(id: client.id)

        #expect(try seen(by: reader, client.clientID) == nil)
    }

    /// Deleting the owner clears the client's owner through a foreign key action, which
    /// is no UPDATE statement of ours; the trigger must fire for it as well.
    @Test func ownerDeleted_throughAnotherHandle_isSeenAtOnce() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (reader, writer, client) = try twoHandles()
        let owner = try #require(client.ownerUserID)

        try writer.pool.write { connection throws(StorageError) in
            _ = try connection.execute("DELETE FROM users WHERE id = ?", [.integer(owner)])
        }

        #expect(try seen(by: reader, client.clientID)?.ownerUserID == nil)
    }

    @Test func changeToAnotherClient_leavesThisOneRight() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (reader, writer, client) = try twoHandles()
        let other = try writer.createClient(newClient("client-2"))

        try writer.updateClientSecret(id: other.id, secretHash: "other-rotated")

        #expect(try seen(by: reader, client.clientID) == client)
        #expect(try seen(by: reader, other.clientID)?.secretHash == "other-rotated")
    }

    /// Unknown ids are looked up every time and never remembered, so a client created
    /// after a miss is found.
    @Test func unknownID_thenCreated_isFound() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let (reader, writer, _) = try twoHandles()
        #expect(try seen(by: reader, "client-later") == nil)

        let created = try writer.createClient(newClient("client-later"))

        #expect(try seen(by: reader, "client-later") == created)
    }

    /// A database from before the counter gets it, and its clients are read through it.
    @Test func migrate_fromVersion4_addsTheCounterAndKeepsClients() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let old = try SQLiteStorage(path: path)
        try old.pool.write { connection throws(StorageError) in
            try connection.executeScript(
                """
                CREATE TABLE schema_migrations (
                    version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL);
                INSERT INTO schema_migrations (version, applied_at)
                    VALUES (1, 0), (2, 0), (3, 0), (4, 0);
                """)
            for migration in Schema.migrations where migration.version <= 4 {
                try connection.executeScript(migration.sql)
            }
        }
        let client = try old.createClient(newClient())

        try old.migrate()
        #expect(try old.schemaVersion == 5)
        #expect(try seen(by: old, client.clientID) == client)

        let writer = try SQLiteStorage(path: path)
        try writer.updateClientSecret(id: client.id, secretHash: "after-upgrade")
        #expect(try seen(by: old, client.clientID)?.secretHash == "after-upgrade")
    }
}

/// The cache's own rules, without a database.
struct ClientCacheRulesTests {
    let client = Client(
        id: 1, clientID: "client-1", name: "App", mainURL: "https://app.example/",
        callbackURLs: ["https://app.example/cb"], secretHash: "hash", ownerUserID: nil,
        grantTypes: ["client_credentials"], defaultScopes: [], allowedScopes: [],
        createdAt: Date(timeIntervalSince1970: 0), idTokenSigningAlgorithm: "RS256")

    @Test func remembered_isFoundAtItsVersionOnly() {
        let cache = ClientCache()
        cache.remember(client, at: 7)

        #expect(cache.client("client-1", at: 7) == client)
        #expect(cache.client("client-1", at: 8) == nil)
        #expect(cache.client("client-1", at: 6) == nil)
        #expect(cache.client("client-2", at: 7) == nil)
    }

    @Test func anotherVersion_forgetsEverythingBefore() {
        let cache = ClientCache()
        var other = client
        other.clientID = "client-2"
        cache.remember(client, at: 7)

        cache.remember(other, at: 8)

        #expect(cache.client("client-2", at: 8) == other)
        #expect(cache.client("client-1", at: 8) == nil)
        #expect(cache.client("client-1", at: 7) == nil)
    }

    @Test func full_startsOver() {
        let cache = ClientCache()
        for index in 0..<ClientCache.capacity {
            var numbered = client
            numbered.clientID = "client-\(index)"
            cache.remember(numbered, at: 1)
        }
        #expect(cache.client("client-0", at: 1) != nil)

        var extra = client
        extra.clientID = "extra"
        cache.remember(extra, at: 1)

        #expect(cache.client("extra", at: 1) == extra)
        #expect(cache.client("client-0", at: 1) == nil)
    }
}

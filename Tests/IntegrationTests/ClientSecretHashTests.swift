import Foundation
import LatchkeyCrypto
import LatchkeyOAuth
import LatchkeySQLite
import LatchkeyStorage
import TestThreads
import Testing

/// Client secrets stored as HMAC-SHA-256 under a key derived from the key encryption key
/// (SPEC §9, docs/security.md), over real HTTP against the real server on SQLite.
@Suite(.onBlockingThreads, .timeLimit(.minutes(2)))
struct ClientSecretHashTests {
    static let wrongSecretBody =
        #"{"error":"invalid_client","error_description":"Client authentication failed."}"#

    /// A client row as an earlier version wrote it: the plain SHA-256 hex of the secret.
    @Test func legacyRow_clientCredentialsOverHTTP_getsATokenAndIsThenStoredKeyed()
        async throws
    {
        let world = try await SeedWorld.start()
        let storage = try world.sqliteStorage()
        let row = try #require(try storage.client(clientID: world.clientID))
        #expect(row.secretHash == keyedHash(world.clientSecret, kek: try world.sqliteKEK()))
        try storage.updateClientSecret(id: row.id, secretHash: SHA256.hexDigest(world.clientSecret))

        let first = try world.token([("grant_type", "client_credentials")], auth: world.seedBasic)

        #expect(first.status == 200)
        #expect((first.json?["access_token"] as? String)?.hasPrefix("lka_") == true)
        let upgraded = try storage.client(clientID: world.clientID)?.secretHash
        #expect(upgraded == keyedHash(world.clientSecret, kek: try world.sqliteKEK()))
        let again = try world.token(
            [("grant_type", "client_credentials")],
            auth: .post(world.clientID, world.clientSecret))
        #expect(again.status == 200)
        #expect(!world.server.logText().contains(world.clientSecret))
    }

    @Test func legacyRow_wrongSecretOverHTTP_isInvalidClient_andTheRowStaysAsItWas()
        async throws
    {
        let world = try await SeedWorld.start()
        let storage = try world.sqliteStorage()
        let row = try #require(try storage.client(clientID: world.clientID))
        let legacy = SHA256.hexDigest(world.clientSecret)
        try storage.updateClientSecret(id: row.id, secretHash: legacy)

        let response = try world.token(
            [("grant_type", "client_credentials")],
            auth: .basic(world.clientID, CredentialKind.clientSecret.generate()))

        expectOAuthError(response, status: 401, error: "invalid_client")
        #expect(response.text == Self.wrongSecretBody)
        #expect(try storage.client(clientID: world.clientID)?.secretHash == legacy)
    }

    /// The hash confirms the secret only under the key it was made with. The same
    /// database does not start under another key encryption key (its signing keys do not
    /// open), so the upgraded row is copied into a server that has another key: what a
    /// database copy without the key file is worth.
    @Test func upgradedRow_underAnotherKeyEncryptionKey_isRefusedAsAWrongSecret() async throws {
        let world = try await SeedWorld.start()
        let storage = try world.sqliteStorage()
        let row = try #require(try storage.client(clientID: world.clientID))
        try storage.updateClientSecret(id: row.id, secretHash: SHA256.hexDigest(world.clientSecret))
        let upgrading = try world.token(
            [("grant_type", "client_credentials")], auth: world.seedBasic)
        #expect(upgrading.status == 200)
        let upgraded = try #require(try storage.client(clientID: world.clientID))
        let wrongSecret = try world.token(
            [("grant_type", "client_credentials")],
            auth: .basic(world.clientID, CredentialKind.clientSecret.generate()))

        try await world.server.stop()
        let restart = try world.server.run([
            "serve", "--port", "0", "--key-encryption-key", String(repeating: "cd", count: 32),
        ])
        #expect(restart.status == 1)
        #expect(restart.stderr.contains("is this the key encryption key they were made with?"))

        let elsewhere = try TestServer()
        try await elsewhere.start(
            environment: ["LATCHKEY_KEY_ENCRYPTION_KEY": String(repeating: "cd", count: 32)])
        _ = try SQLiteStorage(path: elsewhere.sqlitePath).createClient(
            NewClient(
                clientID: upgraded.clientID, name: upgraded.name, mainURL: upgraded.mainURL,
                callbackURLs: upgraded.callbackURLs, secretHash: upgraded.secretHash,
                ownerUserID: nil, grantTypes: upgraded.grantTypes,
                defaultScopes: upgraded.defaultScopes, allowedScopes: upgraded.allowedScopes,
                createdAt: upgraded.createdAt))
        let moved = SeedWorld(
            server: elsewhere, clientID: world.clientID, clientSecret: world.clientSecret)

        let response = try moved.token(
            [("grant_type", "client_credentials")], auth: moved.seedBasic)

        expectOAuthError(response, status: 401, error: "invalid_client")
        #expect(response.text == Self.wrongSecretBody)
        #expect(response.text == wrongSecret.text)
        #expect(response.headers["WWW-Authenticate"] == wrongSecret.headers["WWW-Authenticate"])
    }

    /// `client create` keys the hash with the same key file `serve` uses; the file is made
    /// beside a database that does not exist yet, its folder included.
    @Test func clientCreate_onANewDatabase_makesTheKeyFileAndStoresTheKeyedHash() throws {
        let server = try TestServer()
        let database = server.folder.appendingPathComponent("new/folder/latchkey.db").path

        let created = try server.run([
            "client", "create", "--name", "New", "--url", "https://new.example", "--callback",
            "https://new.example/cb", "--json", "--database", "sqlite:" + database,
        ])

        #expect(created.status == 0, "\(created.stderr)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: String])
        let secret = try #require(object["client_secret"])
        let kek = try TestServer.keyEncryptionKey(inFile: database + ".kek")
        let row = try SQLiteStorage(path: database).client(
            clientID: try #require(object["client_id"]))
        #expect(row?.secretHash == keyedHash(secret, kek: kek))
    }
}

/// The stored form, computed here with the one-shot HMAC, apart from the server's code:
/// `hmac-sha256:` and hex(HMAC(HMAC(KEK, "latchkey client secret hash v1"), secret)).
func keyedHash(_ secret: String, kek: [UInt8]) -> String {
    let key = HMACSHA256.authenticationCode(
        key: kek, message: Array("latchkey client secret hash v1".utf8))
    return "hmac-sha256:"
        + Hex.encode(HMACSHA256.authenticationCode(key: key, message: Array(secret.utf8)))
}

extension TestServer {
    /// The SQLite file behind `databaseURL`.
    var sqlitePath: String {
        String(databaseURL.dropFirst("sqlite:".count))
    }

    /// The 32 bytes of a key file: 64 hex digits and a newline.
    static func keyEncryptionKey(inFile path: String) throws -> [UInt8] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let key = keyEncryptionKey(hex: text) else {
            throw HarnessError("\(path) holds no 32-byte key")
        }
        return key
    }

    /// 64 hex digits as 32 bytes, surrounding whitespace ignored; nil for anything else.
    static func keyEncryptionKey(hex text: String) -> [UInt8]? {
        let digits = Array(text.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        guard digits.count == 64 else { return nil }
        let bytes = stride(from: 0, to: 64, by: 2).compactMap { index in
            UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16)
        }
        return bytes.count == 32 ? bytes : nil
    }
}

extension SeedWorld {
    /// The server's own SQLite file, opened beside it (WAL mode lets both write).
    func sqliteStorage() throws -> SQLiteStorage {
        try SQLiteStorage(path: server.sqlitePath)
    }

    /// The key file the first `client create` or start made beside the database.
    func sqliteKEK() throws -> [UInt8] {
        try TestServer.keyEncryptionKey(inFile: server.sqlitePath + ".kek")
    }
}

/// The same upgrade on PostgreSQL, where several processes share one key encryption key.
@Suite(
    .onBlockingThreads, .serialized, .timeLimit(.minutes(3)),
    .enabled(if: TestPostgres.isEnabled, "needs LATCHKEY_TEST_POSTGRES_URL (scripts/test)"))
struct PostgresClientSecretHashTests {
    /// A legacy row proves its secret while the database refuses to change it: the client
    /// still gets its token and the operator one error line; once the database accepts
    /// writes again the next request stores the keyed hash, which the other process honours.
    @Test func legacyRow_upgradeRefusedThenAccepted_neverFailsTheClient() async throws {
        let schema = try TestPostgres.makeSchema()
        let world = try await SeedWorld.start(databaseURL: schema.url)
        let sibling = try await world.sibling()
        let kek = try #require(
            TestServer.keyEncryptionKey(hex: TestServer.postgresKeyEncryptionKey))
        let legacy = SHA256.hexDigest(world.clientSecret)
        let clientID = world.clientID
        #expect(try secretHash(schema, clientID) == keyedHash(world.clientSecret, kek: kek))
        try schema.query(
            "UPDATE clients SET secret_hash = '\(legacy)' WHERE client_id = '\(clientID)'")
        try schema.query(
            """
            CREATE FUNCTION refuse_secret_change() RETURNS trigger LANGUAGE plpgsql AS
                $$ BEGIN RAISE EXCEPTION 'secret changes refused by the test'; END $$;
            CREATE TRIGGER refuse_secret_change BEFORE UPDATE OF secret_hash ON clients
                FOR EACH ROW EXECUTE FUNCTION refuse_secret_change();
            """)

        let refused = try world.token([("grant_type", "client_credentials")], auth: world.seedBasic)

        #expect(refused.status == 200)
        #expect(try secretHash(schema, clientID) == legacy)
        let log = try await world.server.waitForLog(
            containing: "msg=oauth.client_secret.upgrade_failed")
        let line = try #require(
            log.split(separator: "\n").first { $0.contains("oauth.client_secret.upgrade_failed") })
        #expect(line.contains("level=error"))
        #expect(line.contains("oauth.client_id=\(clientID)"))
        #expect(line.contains("secret changes refused by the test"))
        #expect(!log.contains(world.clientSecret))
        #expect(!log.contains(legacy))

        try schema.query("DROP TRIGGER refuse_secret_change ON clients")
        let accepted = try world.token(
            [("grant_type", "client_credentials")], auth: world.seedBasic)

        #expect(accepted.status == 200)
        #expect(try secretHash(schema, clientID) == keyedHash(world.clientSecret, kek: kek))
        let elsewhere = try sibling.token(
            [("grant_type", "client_credentials")], auth: sibling.seedBasic)
        #expect(elsewhere.status == 200)
    }

    private func secretHash(_ schema: TestPostgresSchema, _ clientID: String) throws -> String {
        try schema.query("SELECT secret_hash FROM clients WHERE client_id = '\(clientID)'")
    }
}

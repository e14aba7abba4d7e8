import Foundation
import LatchkeyStorage
import TestThreads
import Testing

@testable import LatchkeyPostgres

/// What only the PostgreSQL backend has: a server that can go away, several processes
/// migrating one database, a URL with a password in it.
@Suite(.enabled(if: PostgresTestDatabase.isEnabled), .onBlockingThreads)
struct PostgresStorageTests {
    static let password = "Sup3r-Secret_pw"

    @Test func requiredServer_isConfigured() throws {
        #expect(PostgresTestDatabase.url != nil, "LATCHKEY_TEST_POSTGRES_URL is not set")
        try PostgresStorage(url: try #require(PostgresTestDatabase.url)).ping()
    }

    @Test func migrate_fromSixHandlesAtOnceOnEmptySchema_allSucceedAndApplyOnce() throws {
        let schema = try PostgresTestDatabase.makeSchema()
        let stores = try (0..<6).map { _ in try PostgresStorage(url: schema.url) }
        let errors = Collected<String>()

        onThreads(6) { index in
            do { try stores[index].migrate() } catch { errors.append("\(error)") }
        }

        #expect(errors.all == [])
        for store in stores { #expect(try store.schemaVersion == Schema.latestVersion) }
        let recorded = try PostgresTestDatabase.admin { connection throws(StorageError) in
            try connection.queryFirst(
                "SELECT count(*) FROM \(schema.name).schema_migrations"
            ) { row in row.integer(0) }
        }
        // One row per migration; versions need not be contiguous.
        #expect(recorded == Int64(Schema.migrations.count))
        #expect(try stores[5].createUser(newUser()).username == "alice")
    }

    @Test func migrate_again_keepsDataAndVersion() throws {
        let schema = try PostgresTestDatabase.makeSchema()
        let store = try PostgresStorage(url: schema.url)
        #expect(try store.schemaVersion == 0)

        try store.migrate()
        let user = try store.createUser(newUser())
        try store.migrate()

        #expect(try store.schemaVersion == Schema.latestVersion)
        #expect(try store.user(id: user.id) == user)
    }

    @Test func methods_beforeMigrate_throwFailureNotCrash() throws {
        let schema = try PostgresTestDatabase.makeSchema()
        let store = try PostgresStorage(url: schema.url)

        #expect(throws: StorageError.self) { try store.token(hash: "x") }
        #expect(throws: StorageError.self) { try store.createUser(newUser()) }
        try store.ping()
    }

    @Test func call_afterItsConnectionWasTerminated_succeedsOnANewOne() throws {
        let schema = try PostgresTestDatabase.makeSchema()
        let store = try PostgresStorage(url: schema.url, poolSize: 1)
        try store.migrate()
        let user = try store.createUser(newUser())
        let killedPID = try store.pool.withConnection { connection in connection.backendPID }

        #expect(try schema.terminateConnections() == 1)

        #expect(try store.user(id: user.id) == user)
        let newPID = try store.pool.withConnection { connection in connection.backendPID }
        #expect(newPID != killedPID)
    }

    /// A server restart or failover closes every connection of the pool at once; none of
    /// the calls after it may fail on a dead connection.
    @Test func calls_afterWholePoolWasTerminated_allSucceed() throws {
        let schema = try PostgresTestDatabase.makeSchema()
        let store = try PostgresStorage(url: schema.url, poolSize: 4)
        try store.migrate()
        let errors = Collected<String>()
        onThreads(8) { _ in
            for _ in 0..<20 {
                do { try store.ping() } catch { errors.append("\(error)") }
            }
        }
        #expect(errors.all == [])

        #expect(try schema.terminateConnections() >= 1)

        onThreads(8) { index in
            do {
                _ = try store.createUser(newUser("user\(index)"))
                try store.ping()
            } catch {
                errors.append("\(error)")
            }
        }
        #expect(errors.all == [])
        #expect(try store.user(login: "user7")?.username == "user7")
    }

    @Test func ping_closedPort_isUnavailableFastWithoutPassword() throws {
        let port = try closedPort()
        let url = "postgres://latchkey:\(Self.password)@127.0.0.1:\(port)/latchkey"
        let store = try PostgresStorage(url: url)
        let started = Date()

        let error = try #require(throws: StorageError.self) { try store.ping() }

        #expect(Date().timeIntervalSince(started) < 2)
        guard case .unavailable(let reason) = error else {
            Issue.record("expected unavailable, got \(error)")
            return
        }
        #expect(reason.contains("cannot connect"))
        #expect(reason.contains("port \(port)"))
        #expect(reason.contains("refused"))
        #expect(!"\(error)".contains(Self.password))
        // The next call tries again rather than remembering the failure.
        #expect(throws: StorageError.self) { try store.ping() }
    }

    @Test func ping_unknownDatabase_isUnavailableWithServerReasonWithoutPassword() throws {
        let base = try #require(PostgresTestDatabase.url)
        let url = try #require(URL(string: base))
        let port = try #require(url.port)
        let store = try PostgresStorage(
            url: "postgresql://postgres:\(Self.password)@127.0.0.1:\(port)/no_such_database")

        let error = try #require(throws: StorageError.self) { try store.ping() }

        #expect("\(error)".contains("no_such_database"))
        #expect("\(error)".contains("does not exist"))
        #expect(!"\(error)".contains(Self.password))
        guard case .unavailable = error else {
            Issue.record("expected unavailable, got \(error)")
            return
        }
    }

    @Test(arguments: [
        "mysql://user:\(password)@127.0.0.1/db",
        "host=127.0.0.1 password=\(password)",
        "postgres://user:\(password)@127.0.0.1/db?no_such_option=1",
        "postgres://user:\(password)%zz@127.0.0.1/db",
        "",
    ])
    func init_malformedURL_isFailureWithoutPassword(url: String) {
        let error = #expect(throws: StorageError.self) { try PostgresStorage(url: url) }

        guard case .failure(let reason) = error else {
            Issue.record("expected failure, got \(String(describing: error))")
            return
        }
        #expect(!reason.contains(Self.password))
        #expect(!reason.isEmpty)
    }

    @Test(arguments: [0, -1])
    func init_nonPositivePoolSize_isFailure(size: Int) throws {
        let url = try #require(PostgresTestDatabase.url)

        #expect(throws: StorageError.self) { try PostgresStorage(url: url, poolSize: size) }
    }

    @Test func statement_overTimeout_isCancelledAsUnavailableAndConnectionStaysUsable() throws {
        let schema = try PostgresTestDatabase.makeSchema()
        let store = try PostgresStorage(
            url: schema.url, poolSize: 1, statementTimeout: .milliseconds(300))
        let started = Date()

        let error = try #require(throws: StorageError.self) {
            try store.pool.withConnection { connection throws(StorageError) in
                try connection.execute("SELECT pg_sleep(5)")
            }
        }

        #expect(Date().timeIntervalSince(started) < 2)
        guard case .unavailable(let reason) = error else {
            Issue.record("expected unavailable, got \(error)")
            return
        }
        #expect(reason.contains("57014"))
        try store.ping()
    }

    @Test func text_withNULCharacter_isFailureAndStoresNothing() throws {
        let fixture = try StorageBackend.postgres.makeFixture()

        #expect {
            try fixture.store.createUser(newUser("nul\u{0}byte"))
        } throws: { error in
            guard case StorageError.failure = error else { return false }
            return true
        }
        #expect(try fixture.store.user(login: "nul") == nil)
    }

    @Test func purgeExpired_onFourHandlesAtOnce_deletesEachRowOnce() throws {
        let fixture = try StorageBackend.postgres.makeFixture()
        _ = try fixture.store.recordLoginFailure(
            keys: Array(repeating: "k", count: 1_203), at: epoch, window: 60)
        let stores = [fixture.store] + (try (0..<3).map { _ in try fixture.openAnother() })
        let deleted = Collected<Int>()
        let errors = Collected<String>()

        onThreads(4) { index in
            do {
                deleted.append(try stores[index].purgeExpired(at: at(2 * 86_400)))
            } catch {
                errors.append("\(error)")
            }
        }

        #expect(errors.all == [])
        #expect(deleted.all.reduce(0, +) == 1_203)
        #expect(try fixture.store.loginFailures(key: "k", at: epoch, window: 60) == 0)
    }

    @Test(arguments: [
        ("postgres://user:pw@host:5432/db", "postgres://user:***@host:5432/db"),
        (
            "postgresql://user:p%40ss@host/db?sslmode=disable",
            "postgresql://user:***@host/db?sslmode=disable"
        ),
        ("postgres://user@host/db", "postgres://user@host/db"),
        (
            "postgres://host/db?user=u&password=pw&sslmode=require",
            "postgres://host/db?user=u&password=***&sslmode=require"
        ),
        ("postgres:///db?host=/var/run/postgresql", "postgres:///db?host=/var/run/postgresql"),
        ("postgres://u:a:b@c@host/db", "postgres://u:***@host/db"),
        ("postgres://u:pa/ss@host/db", "postgres://u:***@host/db"),
        ("postgres://u:@host/db", "postgres://u:***@host/db"),
        ("not a url: pw@x", "not a url: pw@x"),
    ])
    func redact_url_hidesOnlyThePassword(url: String, expected: String) {
        #expect(PostgresStorage.redact(url: url) == expected)
    }

    @Test(arguments: [
        ("bad password p@ss:wörd for user", "bad password *** for user"),
        (
            "  as given: p%40ss%3Aw%C3%B6rd\n  DETAIL: again p@ss:wörd  ",
            "as given: *** DETAIL: again ***"
        ),
        // A combining mark after it does not keep the password from being found.
        ("p@ss:wörd\u{301}", "***\u{301}"),
    ])
    func sanitize_message_hidesThePasswordInEveryForm(message: String, expected: String) throws {
        let settings = try ConnectionSettings(
            url: "postgres://user:p%40ss%3Aw%C3%B6rd@host/db", connectTimeoutSeconds: 1,
            statementTimeoutMilliseconds: 1_000)

        #expect(settings.sanitize(message) == expected)
    }

    @Test(arguments: [
        ("users_username_key", "username"), ("users_email_key", "email"),
        ("clients_client_id_key", "client_id"), ("tokens_pkey", "token_hash"),
        ("authorization_codes_pkey", "code_hash"), ("sessions_pkey", "id_hash"),
        ("some_new_index", "some_new_index"),
    ])
    func conflictingField_constraint_namesTheSQLiteField(constraint: String, field: String) {
        #expect(Schema.conflictingField(constraint: constraint) == field)
    }

    /// A port nothing listens on: one the kernel hands out, bound and then released.
    private func closedPort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0)
        defer { close(descriptor) }

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0
                    && getsockname(descriptor, generic, &length) == 0
            }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

extension PostgresStorageTests {
    /// The database goes away under a live store and comes back: calls during the outage
    /// fail fast with unavailable, and the first call after it succeeds, without a new
    /// store (SPEC §6: no restart needed).
    @Test func calls_duringAndAfterAnOutage_failFastThenSucceed() throws {
        let schema = try PostgresTestDatabase.makeSchema()
        let serverPort = try #require(URLComponents(string: schema.url)?.port)
        let proxy = try TCPProxy(targetPort: UInt16(serverPort))
        let url = schema.url.replacingOccurrences(
            of: ":\(serverPort)/", with: ":\(proxy.port)/")
        let store = try PostgresStorage(url: url, poolSize: 4)
        try store.migrate()
        let user = try store.createUser(newUser())
        onThreads(4) { _ in _ = try? store.user(id: user.id) }

        proxy.stop()
        var outage: [StorageError] = []
        let started = Date()
        for _ in 0..<5 {
            do {
                _ = try store.user(id: user.id)
            } catch let error as StorageError {
                outage.append(error)
            }
        }
        let outageSeconds = Date().timeIntervalSince(started)
        try proxy.start()

        #expect(outage.count == 5)
        #expect(outage.allSatisfy { if case .unavailable = $0 { true } else { false } })
        #expect(outageSeconds < 2)
        #expect(try store.user(id: user.id) == user)
        #expect(try store.createUser(newUser("after")).username == "after")
    }
}

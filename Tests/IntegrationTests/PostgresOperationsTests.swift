import Foundation
import TestThreads
import Testing

/// What an operator of PostgreSQL-backed processes meets besides the happy path, over
/// real HTTP and the real command line: the database going away and coming back, a
/// statement over its timeout, unreachable or misnamed databases, concurrent migrations
/// and the URL forms libpq accepts.
///
/// Serialized, like ``ScaleOutTests``: each test runs servers or a cluster of its own.
@Suite(
    .onBlockingThreads, .serialized, .timeLimit(.minutes(3)),
    .enabled(if: TestPostgres.isEnabled, "needs LATCHKEY_TEST_POSTGRES_URL (scripts/test)"))
struct PostgresOperationsTests {
    // MARK: Failures

    /// The database stopped under a running server (`pg_ctl stop`, as a restart or a
    /// failover does) and started again: 503 quickly meanwhile, service after, and the
    /// password in no answer and no log line.
    @Test func databaseStoppedAndStarted_answers503Quickly_thenServesWithoutRestart()
        async throws
    {
        let cluster = try PrivateCluster()
        let world = try await SeedWorld.start(databaseURL: cluster.url)
        let token = try await world.nonWebToken()
        #expect(try await world.http.get(world.url("/readyz")).status == 200)

        try cluster.stop()

        // Generous for a loaded two-core machine; a refused connection takes milliseconds.
        let bound: Duration = .seconds(10)
        let clock = ContinuousClock()
        var ready: TestResponse?
        let readyTime = try await clock.measure {
            ready = try await world.http.get(world.url("/readyz"))
        }
        #expect(ready?.status == 503)
        #expect(ready?.json?["status"] as? String == "unavailable")
        #expect((ready?.json?["reason"] as? String)?.isEmpty == false)
        #expect(ready?.text.contains(PrivateCluster.password) == false)
        #expect(readyTime < bound)

        var api: TestResponse?
        let apiTime = try await clock.measure { api = try await world.me(token: token) }
        #expect(api?.status == 503)
        #expect(api?.headers["Retry-After"] == "5")
        #expect(apiTime < bound)

        var grant: TestResponse?
        let grantTime = try clock.measure {
            grant = try world.token(
                [
                    ("grant_type", "password"), ("username", SeedWorld.username),
                    ("password", SeedWorld.password),
                ], auth: world.seedBasic)
        }
        expectOAuthError(try #require(grant), status: 503, error: "temporarily_unavailable")
        #expect(grantTime < bound)

        // The sign-in form needs no database; signing in does.
        let browser = HTTPClient(cookies: CookieJar())
        let form = try await browser.get(world.url("/login"))
        var page: TestResponse?
        let pageTime = try await clock.measure {
            page = try await browser.postForm(
                world.url("/login"),
                hiddenFields(in: form.text) + [
                    ("login", SeedWorld.username), ("password", SeedWorld.password),
                ])
        }
        #expect(page?.status == 503)
        #expect(page?.headers["Content-Type"]?.hasPrefix("text/html") == true)
        #expect(pageTime < bound)

        try cluster.start()

        #expect(try await world.http.get(world.url("/readyz")).status == 200)
        #expect(try await world.me(token: token).status == 200)
        #expect(try await world.me(token: try await world.nonWebToken()).status == 200)
        #expect(world.server.isRunning)

        let log = world.server.logText()
        #expect(log.contains("msg=storage.unreachable"))
        #expect(!log.contains(PrivateCluster.password))

        // A wrong password is a reason of its own, and is not printed either.
        let wrong = try world.server.run([
            "migrate", "--database",
            "postgres://\(PrivateCluster.user):not-the-Password@127.0.0.1:\(cluster.port)/"
                + PrivateCluster.user,
        ])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("password authentication failed"))
        #expect(!wrong.stderr.contains("not-the-Password"))
    }

    /// A statement waiting on a lock longer than the statement timeout (5 s) is
    /// cancelled: the request gets 503 instead of hanging, and the next one, with the
    /// lock gone, succeeds.
    @Test func statementOverTheTimeout_answers503_andTheNextRequestSucceeds() async throws {
        let schema = try TestPostgres.makeSchema()
        defer { withExtendedLifetime(schema) {} }
        let world = try await SeedWorld.start(databaseURL: schema.url)
        let token = try await world.nonWebToken()

        let holder = Task.detached {
            try await CommandRunner.runAsync(
                try TestPostgres.program("psql"),
                [
                    "--no-psqlrc", "--quiet", "--dbname=\(schema.adminURL)", "--command",
                    "BEGIN; LOCK TABLE \(schema.name).tokens IN ACCESS EXCLUSIVE MODE;"
                        + " SELECT pg_sleep(7); COMMIT;",
                ], timeout: .seconds(30))
        }
        try await waitForLock(on: "tokens", in: schema)

        let clock = ContinuousClock()
        var blocked: TestResponse?
        let blockedTime = try await clock.measure { blocked = try await world.me(token: token) }
        #expect(blocked?.status == 503)
        #expect(blockedTime >= .seconds(4) && blockedTime < .seconds(10))

        #expect(try await holder.value.status == 0)
        #expect(try await world.me(token: token).status == 200)
    }

    private func waitForLock(on table: String, in schema: TestPostgresSchema) async throws {
        for _ in 0..<100 {
            let held = try schema.query(
                """
                SELECT count(*) FROM pg_locks
                WHERE relation = '\(schema.name).\(table)'::regclass
                    AND mode = 'AccessExclusiveLock' AND granted
                """)
            if held == "1" { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError("psql did not take the lock on \(table)")
    }

    // MARK: The command line and the URL forms

    @Test func migrate_unreachableOrWrongDatabase_exits1WithOneLineAndNoPassword() throws {
        let adminURL = try TestPostgres.requiredURL()
        let port = try FreePort.find()
        let password = "Sw0rdfish-pw"
        let server = try TestServer()
        // postgres://postgres@127.0.0.1:PORT/latchkey_test, with a password added.
        let withPassword = adminURL.replacingOccurrences(
            of: "://postgres@", with: "://postgres:\(password)@")
        let noDatabase =
            withPassword.prefix(upTo: withPassword.lastIndex(of: "/")!) + "/no_such_db"
        let cases: [(url: String, shown: String, reason: String)] = [
            (
                "postgres://latchkey:\(password)@127.0.0.1:\(port)/latchkey",
                "postgres://latchkey:***@127.0.0.1:\(port)/latchkey", "Connection refused"
            ),
            (
                "postgresql://latchkey@127.0.0.1:\(port)/latchkey?password=\(password)",
                "postgresql://latchkey@127.0.0.1:\(port)/latchkey?password=***",
                "Connection refused"
            ),
            (String(noDatabase), "", "database \"no_such_db\" does not exist"),
            (
                withPassword + "?sslmode=require", "",
                "server does not support SSL, but SSL was required"
            ),
            ("postgres://latchkey:\(password)@127.0.0.1:notaport/db", "", "invalid"),
        ]
        for (url, shown, reason) in cases {
            let result = try server.run(["migrate", "--database", url])
            #expect(result.status == 1, "\(reason)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(result.stderr)")
            #expect(result.stderr.hasPrefix("latchkey migrate: "))
            #expect(shown.isEmpty || result.stderr.contains(shown), "\(result.stderr)")
            #expect(result.stderr.contains(reason), "\(result.stderr)")
            #expect(!result.stderr.contains(password))
            #expect(!result.stdout.contains(password))
        }

        // serve refuses to start the same way, before listening.
        let serve = try server.run([
            "serve", "--port", "0", "--database", cases[0].url,
            "--key-encryption-key", TestServer.postgresKeyEncryptionKey,
        ])
        #expect(serve.status == 1)
        #expect(serve.stderr.contains("Connection refused"))
        #expect(!serve.stderr.contains(password))
    }

    @Test func migratesAndServersStartedAtOnce_onAnEmptySchema_migrateItOnce() async throws {
        let schema = try TestPostgres.makeSchema()
        let server = try TestServer(databaseURL: schema.url)
        let other = try TestServer(databaseURL: schema.url)

        async let first = server.start()
        async let second = other.start()
        let migrations = simultaneously(4) { () -> CommandResult? in
            try? server.run(["migrate"])
        }
        _ = try await (first, second)

        for result in migrations {
            #expect(result?.status == 0)
            #expect(result?.stdout.contains("is up to date") == true)
        }
        let applied = try schema.query(
            "SELECT count(*) || ' ' || count(DISTINCT version) || ' ' || max(version)"
                + " FROM schema_migrations")
        let numbers = applied.split(separator: " ")
        #expect(numbers.count == 3 && Set(numbers).count == 1, "\(applied)")
        for running in [server, other] {
            #expect(try await HTTPClient().get(running.url("/readyz")).status == 200)
        }
    }

    /// `postgresql://` with `host=/socket/dir` and `sslmode`, and `postgres://` over TCP,
    /// are the same database to two processes.
    @Test func socketAndTCPURLForms_reachTheSameDatabase() async throws {
        let schema = try TestPostgres.makeSchema()
        let adminURL = try TestPostgres.requiredURL()
        let socketFolder = try #require(
            try TestPostgres.psql(adminURL, "SHOW unix_socket_directories")
                .split(separator: ",").first.map {
                    $0.trimmingCharacters(in: .whitespaces)
                })
        let components = try #require(URLComponents(string: adminURL))
        let port = try #require(components.port)
        let database = components.path.dropFirst()
        let searchPath = "options=-csearch_path%3D\(schema.name)"
        let socketURL =
            "postgresql:///\(database)?host=\(socketFolder)&port=\(port)&user=postgres"
            + "&sslmode=disable&\(searchPath)"
        let encodedHost = try #require(
            socketFolder.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        let encodedHostURL = "postgres://postgres@\(encodedHost):\(port)/\(database)?\(searchPath)"

        let viaSocket = try await SeedWorld.start(databaseURL: socketURL)
        let viaTCP = try TestServer(databaseURL: schema.url + "&sslmode=prefer")
        try await viaTCP.start()
        let token = try await viaSocket.nonWebToken()
        #expect(
            try await HTTPClient().get(viaTCP.url("/api/v1/me?access_token=\(token)")).status == 200
        )

        let migrate = try viaSocket.server.run(["migrate", "--database", encodedHostURL])
        #expect(migrate.status == 0, "\(migrate.stderr)")
        let users = try schema.query("SELECT count(*) FROM users")
        #expect(users == "1")
    }
}
